package dev.factline.personal;

import java.util.Optional;

/**
 * Where subjects' data keys come from: the port the store's sealing and the readers' reveal use.
 * An implementation keeps each key wrapped by a master key and may cache unwrapped ones, but it
 * must answer {@link #openingKey} from the current state of its store: once a subject is
 * forgotten, no reader may open its data again, however warm its cache.
 */
public interface DataKeys {

    /**
     * The subject's current key, issued now if it has none (a subject forgotten before gets a new one).
     *
     * @throws KeyServiceUnavailableException if the key store or the master key cannot be reached
     */
    DataKey sealingKey(String subject);

    /**
     * The subject's key {@code keyId} if it still exists; empty once the subject was forgotten.
     *
     * @throws KeyServiceUnavailableException if the key store or the master key cannot be reached
     */
    Optional<DataKey> openingKey(String subject, String keyId);

    /**
     * Shreds the subject's current key, so nothing sealed with it opens again; idempotent: a
     * subject already forgotten answers with the key it lost last.
     *
     * @return the id of the key shredded; empty for a subject that never had a key
     * @throws KeyServiceUnavailableException if the key store cannot be reached
     */
    Optional<String> shred(String subject);

    /** For a function that holds no master key: any use is refused, naming {@code reason}. */
    static DataKeys none(String reason) {
        return new DataKeys() {
            @Override
            public DataKey sealingKey(String subject) {
                throw new IllegalStateException("cannot seal personal data of " + subject + ": " + reason);
            }

            @Override
            public Optional<DataKey> openingKey(String subject, String keyId) {
                throw new IllegalStateException("cannot open personal data of " + subject + ": " + reason);
            }

            @Override
            public Optional<String> shred(String subject) {
                throw new IllegalStateException("cannot forget " + subject + ": " + reason);
            }
        };
    }
}
