/**
 * The read models as stored: the read table's rows (a view per stream, the dashboard's
 * counters), the Redis cache in front of them, and the cache generation that tells trusted Redis
 * entries from those an outage may have left stale. The projector writes them; the query function reads them.
 */
@NullMarked
package dev.factline.functions.view;

import org.jspecify.annotations.NullMarked;
