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
    private final Map<String, String> shredded = new ConcurrentHashMap<>();

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

    @Override
    public Optional<String> shred(String subject) {
        DataKey removed = current.remove(subject);
        if (removed != null) {
            shredded.put(subject, removed.keyId());
        }
        return Optional.ofNullable(shredded.get(subject));
    }
}
