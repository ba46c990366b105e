package dev.factline.functions.store;

import dev.factline.eventsourcing.BoundedLru;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Claim checks for large payloads (docs/decisions/claim-checks.md): a payload over
 * {@code thresholdBytes} (and at most {@code maxPayloadBytes}) is stored in a {@link BlobStore}
 * under its digest before its commit is written, and the commit holds its {@link PayloadClaim}
 * instead; every reader of the event table resolves the claim back into the payload and checks
 * the digest. {@link #none()}: no blob store, so nothing is offloaded and a claim met on a read is
 * an error that names the event.
 *
 * <p>Resolved payloads are kept in a cache of at most {@code cacheBytes} by digest, least recently
 * used first out: a blob never changes under its digest, so a cached payload is never stale, and a
 * projector, a publisher and a query that meet the same large event fetch it once per container.
 */
public final class ClaimChecks {

    /** What a claimed event spends in its commit item in place of its payload (attribute names, digest, length). */
    static final long CLAIM_BYTES = 120;
    /** A UTF-16 char is at most 3 bytes in UTF-8 (a surrogate pair, two chars, is 4). */
    private static final long MOST_UTF8_BYTES_PER_CHAR = 3;
    /**
     * 4 MiB: one such event, with its envelope, fits Lambda's 6 MB synchronous answer (a history page
     * holding two does not: docs/decisions/claim-checks.md), and a consumer resolves it with one GetObject.
     */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 4L * 1024 * 1024;
    /** Lambda's synchronous request and answer are 6 MB at most: no larger payload could come in or go out whole. */
    public static final long LARGEST_MAX_PAYLOAD_BYTES = 5L * 1024 * 1024;
    /** Enough for a handful of the largest payloads; a container's memory is 512 MB or more. */
    public static final long DEFAULT_CACHE_BYTES = 16L * 1024 * 1024;

    private static final ClaimChecks NONE = new ClaimChecks(null, PayloadClaim.PAYLOADS, Long.MAX_VALUE, Long.MAX_VALUE, new BoundedLru<>(0));

    private final @Nullable BlobStore blobs;
    private final String keyPrefix;
    private final long thresholdBytes;
    private final long maxPayloadBytes;
    /** Resolved texts by digest, weighed by the bytes a Java string of them holds (2 a character at most). */
    private final BoundedLru<String, String> cache;

    private ClaimChecks(@Nullable BlobStore blobs, String keyPrefix, long thresholdBytes, long maxPayloadBytes, BoundedLru<String, String> cache) {
        this.blobs = blobs;
        this.keyPrefix = keyPrefix;
        this.thresholdBytes = thresholdBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.cache = cache;
    }

    /**
     * Payloads over {@code thresholdBytes} go to {@code blobs}, up to {@code maxPayloadBytes}.
     *
     * @throws IllegalArgumentException unless {@code 0 < thresholdBytes < maxPayloadBytes} and the cache is not negative
     */
    public static ClaimChecks in(BlobStore blobs, long thresholdBytes, long maxPayloadBytes, long cacheBytes) {
        Objects.requireNonNull(blobs, "blobs");
        if (thresholdBytes < 1 || maxPayloadBytes <= thresholdBytes || cacheBytes < 0) {
            throw new IllegalArgumentException("claim checks need 0 < threshold < maximum and a cache of 0 bytes or more, but got "
                    + thresholdBytes + ", " + maxPayloadBytes + " and " + cacheBytes);
        }
        return new ClaimChecks(blobs, PayloadClaim.PAYLOADS, thresholdBytes, maxPayloadBytes,
                new BoundedLru<>(cacheBytes, text -> 2L * text.length()));
    }

    /**
     * Claim checks of the same blob store for texts over {@code thresholdBytes} (up to
     * {@link #LARGEST_MAX_PAYLOAD_BYTES}) kept under {@code keyPrefix}, sharing this one's cache:
     * {@link #none()} if this is none.
     */
    ClaimChecks under(String keyPrefix, long thresholdBytes) {
        if (blobs == null) {
            return NONE;
        }
        return new ClaimChecks(blobs, keyPrefix, thresholdBytes, LARGEST_MAX_PAYLOAD_BYTES, cache);
    }

    /** No claim checks: every payload stays in its commit. */
    public static ClaimChecks none() {
        return NONE;
    }

    /** Whether a payload of {@code bytes} goes to the blob store (over the threshold, up to the maximum). */
    boolean offloads(long bytes) {
        return bytes > thresholdBytes && bytes <= maxPayloadBytes;
    }

    /**
     * {@link #offloads(long)} for {@code text} in UTF-8, encoded only when its length leaves the answer
     * in doubt: a char takes 1 to 3 bytes, so most texts (far under the threshold) are answered
     * without encoding them.
     */
    boolean offloads(String text) {
        long fewestBytes = text.length();
        long mostBytes = MOST_UTF8_BYTES_PER_CHAR * text.length();
        if (mostBytes <= thresholdBytes || fewestBytes > maxPayloadBytes) {
            return false;
        }
        if (fewestBytes > thresholdBytes && mostBytes <= maxPayloadBytes) {
            return true;
        }
        return offloads(text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** The largest payload accepted by claim check; {@link Long#MAX_VALUE} with none. */
    long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Stores {@code payload} under its digest and answers its claim; the blob is written before the caller writes the claim. */
    PayloadClaim offload(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        PayloadClaim claim = PayloadClaim.of(bytes);
        requireBlobs("store a payload of " + bytes.length + " bytes").put(claim.key(keyPrefix), bytes);
        cache.put(claim.sha256(), payload);
        return claim;
    }

    /**
     * The payload {@code claim} names, checked against its digest.
     *
     * @param event what the claim belongs to, for messages
     * @throws PayloadTamperedException if the blob is missing or is not the payload
     * @throws PayloadStoreUnavailableException if the blob store cannot be used
     */
    String resolve(PayloadClaim claim, String event) {
        String cached = cache.get(claim.sha256());
        if (cached != null) {
            return cached;
        }
        byte[] blob = requireBlobs("read the claimed payload of " + event).get(claim.key(keyPrefix))
                .orElseThrow(() -> new PayloadTamperedException("the payload of " + event + " is missing: no blob at " + claim.key(keyPrefix)));
        String payload = claim.verified(blob, event);
        cache.put(claim.sha256(), payload);
        return payload;
    }

    /** Where a consumer outside finds the blob of {@code claim}; empty without a blob store. */
    public Optional<URI> location(PayloadClaim claim) {
        return Optional.ofNullable(blobs).map(store -> store.location(claim.key(keyPrefix)));
    }

    private BlobStore requireBlobs(String operation) {
        if (blobs == null) {
            throw new IllegalStateException("cannot " + operation + ": this function has no payload bucket (PAYLOAD_BUCKET)");
        }
        return blobs;
    }
}
