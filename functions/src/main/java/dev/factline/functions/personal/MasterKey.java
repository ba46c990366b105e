package dev.factline.functions.personal;

/**
 * What wraps subjects' data keys: KMS on AWS ({@link KmsMasterKey}), a key file locally
 * ({@link FileMasterKey}). A wrapped key is bound to its subject, so it unwraps for no other.
 */
public interface MasterKey {

    /** Names this master key in each wrapped key's item, so a reader can tell which one wrapped it. */
    String id();

    /**
     * A new 256-bit data key for {@code subject}, plain and wrapped.
     *
     * @throws dev.factline.personal.KeyServiceUnavailableException if the master key cannot be used now
     */
    IssuedKey issue(String subject);

    /**
     * The plain data key of {@code subject} that {@code wrapped} holds.
     *
     * @throws dev.factline.personal.KeyServiceUnavailableException if the master key cannot be used now
     * @throws dev.factline.personal.PersonalDataTamperedException if {@code wrapped} is not a key this master key wrapped for {@code subject}
     */
    byte[] unwrap(String subject, byte[] wrapped);

    /** A data key as it was issued: the plain bytes to use now and the wrapped bytes to store. */
    record IssuedKey(byte[] plain, byte[] wrapped) {
    }
}
