/**
 * The query function: the read side's HTTP API. Views are served cache-aside (a small in-process
 * LRU, then Redis, then the read table); read-after-write and temporal reads rebuild from the
 * event store; audit histories are paged from it.
 */
@NullMarked
package dev.factline.functions.query;

import org.jspecify.annotations.NullMarked;
