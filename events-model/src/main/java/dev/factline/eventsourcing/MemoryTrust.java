package dev.factline.eventsourcing;

/**
 * Whether a handler's memory of the streams it wrote still pays (docs/decisions/warm-handler-memory.md).
 * A remembered state found current saves the load: 1 store call instead of 2. One found stale costs a
 * refused append before the load: 3. So memory pays while fewer than half of the remembered states
 * met are stale. They are stale where other containers write the same streams in between, as on
 * Lambda under concurrency, where a client's next request lands on any warm container.
 *
 * <p>The stale share is weighted towards recent outcomes (each new one counts a quarter), so three
 * stale states in a row stop the trust and three current ones bring it back. A state remembered but
 * not trusted is still judged, against the load made instead, so trust returns when the traffic does.
 */
final class MemoryTrust {

    private static final double NEWEST_WEIGHT = 0.25;
    /** Trusting costs 1 + 2 x (stale share) calls a command, loading first 2: trust pays below a half. */
    private static final double STALE_SHARE_TRUSTED_BELOW = 0.5;

    private double staleShare;

    synchronized boolean trusted() {
        return staleShare < STALE_SHARE_TRUSTED_BELOW;
    }

    /** A remembered state was {@code current} (the stream had not moved past it) or stale. */
    synchronized void judged(boolean current) {
        staleShare += NEWEST_WEIGHT * ((current ? 0 : 1) - staleShare);
    }
}
