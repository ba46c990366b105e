/**
 * The query function: the read side's HTTP API. Views are served cache-aside (Redis, then the
 * read table; only tally summaries stay a moment in the container); read-after-write and temporal reads rebuild from the
 * event store; audit histories are paged from it.
 */
@NullMarked
package dev.factline.functions.query;

import org.jspecify.annotations.NullMarked;
