package dev.factline.personal;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/** Data keys held in memory, unwrapped: for tests and the pure benchmarks, beside {@code InMemoryEventStore}. */
public final class InMemoryDataKeys implements DataKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, DataKey> current = new ConcurrentHashMap<>();

    @Override
    public DataKey sealingKey(String subject) {
        return current.computeIfAbsent(subject, ignored -> {
            byte[] key = new byte[SealedText.KEY_BYTES];
            RANDOM.nextBytes(key);
            return new DataKey(subject, UUID.randomUUID().toString(), new SecretKeySpec(key, "AES"));
        });
    }

    @Override
    public Optional<DataKey> openingKey(String subject, String keyId) {
        return Optional.ofNullable(current.get(subject)).filter(key -> key.keyId().equals(keyId));
    }

    /** Shreds the subject's key; the id of the key shredded, if it had one. */
    public Optional<String> shred(String subject) {
        return Optional.ofNullable(current.remove(subject)).map(DataKey::keyId);
    }
}
