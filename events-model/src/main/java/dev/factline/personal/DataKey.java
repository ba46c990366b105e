package dev.factline.personal;

import java.util.Objects;
import javax.crypto.SecretKey;

/** One subject's data key, unwrapped: what seals and opens that subject's personal fields. */
public record DataKey(String subject, String keyId, SecretKey key) {

    public DataKey {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        if (!"AES".equals(key.getAlgorithm()) || key.getEncoded().length != SealedText.KEY_BYTES) {
            throw new IllegalArgumentException("a data key is " + SealedText.KEY_BYTES + " bytes of AES, but " + keyId + " is not");
        }
        if (keyId.contains(SealedText.SEPARATOR)) {
            throw new IllegalArgumentException("a key id cannot contain '" + SealedText.SEPARATOR + "', but got " + keyId);
        }
    }

    /** Never the key's bytes. */
    @Override
    public String toString() {
        return "DataKey[" + subject + ", " + keyId + "]";
    }
}
