package dev.factline.functions.personal;

import dev.factline.personal.KeyServiceUnavailableException;
import dev.factline.personal.PersonalDataTamperedException;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * A KMS key as the master key: {@code GenerateDataKey} issues a subject's data key and
 * {@code Decrypt} unwraps it, both with the subject as encryption context, so a wrapped key copied
 * to another subject's item does not unwrap and CloudTrail names the subject of every use.
 */
public final class KmsMasterKey implements MasterKey {

    /** The encryption context key of every call; the stack's grants allow no other. */
    public static final String CONTEXT_KEY = "factline:subject";

    private final KmsClient kms;
    private final String keyId;

    public KmsMasterKey(KmsClient kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public String id() {
        return keyId;
    }

    @Override
    public IssuedKey issue(String subject) {
        try {
            GenerateDataKeyResponse issued = kms.generateDataKey(request -> request.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(context(subject)));
            return new IssuedKey(issued.plaintext().asByteArray(), issued.ciphertextBlob().asByteArray());
        } catch (SdkException failure) {
            throw new KeyServiceUnavailableException("KMS key " + keyId + " could not issue a data key for " + subject + ": "
                    + failure.getMessage(), failure);
        }
    }

    @Override
    public byte[] unwrap(String subject, byte[] wrapped) {
        try {
            return kms.decrypt(request -> request.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(context(subject))).plaintext().asByteArray();
        } catch (InvalidCiphertextException invalid) {
            throw new PersonalDataTamperedException("the data key stored for " + subject + " does not unwrap with KMS key " + keyId
                    + " and its subject", invalid);
        } catch (SdkException failure) {
            throw new KeyServiceUnavailableException("KMS key " + keyId + " could not unwrap the data key of " + subject + ": "
                    + failure.getMessage(), failure);
        }
    }

    private static Map<String, String> context(String subject) {
        return Map.of(CONTEXT_KEY, subject);
    }
}
