package dev.factline.eventsourcing;

import java.util.Objects;

/**
 * An append's idempotency: the key, and a fingerprint of the request that used it (e.g. a hash
 * of the route and body). A repeat with the same fingerprint gets the original result; a repeat
 * with another fingerprint is refused with {@link IdempotencyKeyReusedException}.
 */
public record Idempotency(IdempotencyKey key, String fingerprint) {

    public Idempotency {
        Objects.requireNonNull(key, "key");
        if (fingerprint == null || fingerprint.isBlank()) {
            throw new IllegalArgumentException("an idempotency fingerprint must not be blank");
        }
    }
}
