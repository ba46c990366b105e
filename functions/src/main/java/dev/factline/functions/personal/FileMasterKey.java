package dev.factline.functions.personal;

import dev.factline.personal.DataKey;
import dev.factline.personal.KeyServiceUnavailableException;
import dev.factline.personal.PersonalDataTamperedException;
import dev.factline.personal.SealedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A master key kept in a local file (the local pipeline's stand-in for KMS): 32 random bytes,
 * base64, written on first use with owner-only permissions. Data keys are wrapped with it as
 * {@link SealedText} under the subject, the same AES-GCM that seals the fields, so a wrapped key
 * moved to another subject fails to unwrap. A file that cannot be read or written makes the key
 * service unavailable, never a key of its own.
 */
public final class FileMasterKey implements MasterKey {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String WRAPPING_KEY_ID = "master-file";

    private final Path file;
    private @Nullable SecretKeySpec key;

    public FileMasterKey(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public String id() {
        return "file:" + file.toAbsolutePath();
    }

    @Override
    public IssuedKey issue(String subject) {
        byte[] plain = new byte[32];
        RANDOM.nextBytes(plain);
        String wrapped = SealedText.seal(wrapping(subject), Base64.getEncoder().encodeToString(plain));
        return new IssuedKey(plain, wrapped.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] unwrap(String subject, byte[] wrapped) {
        SealedText.Sealed sealed = SealedText.parse(new String(wrapped, StandardCharsets.UTF_8));
        if (!sealed.subject().equals(subject)) {
            throw new PersonalDataTamperedException("the data key stored for " + subject + " was wrapped for " + sealed.subject());
        }
        return Base64.getDecoder().decode(SealedText.open(sealed, Optional.of(wrapping(subject))).orElseThrow());
    }

    private DataKey wrapping(String subject) {
        return new DataKey(subject, WRAPPING_KEY_ID, masterKey());
    }

    private synchronized SecretKeySpec masterKey() {
        if (key == null) {
            key = new SecretKeySpec(readOrCreate(), "AES");
        }
        return key;
    }

    private byte[] readOrCreate() {
        try {
            if (Files.notExists(file)) {
                create();
            }
            byte[] read = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (read.length != 32) {
                throw new KeyServiceUnavailableException("the master key file " + file + " holds " + read.length
                        + " bytes, not the 32 of an AES-256 key", null);
            }
            return read;
        } catch (IOException | IllegalArgumentException failure) {
            throw new KeyServiceUnavailableException("the master key file " + file + " cannot be used: " + failure.getMessage(), failure);
        }
    }

    private void create() throws IOException {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        Path parent = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file's parent");
        Files.createDirectories(parent);
        // Written aside and linked into place, so a reader never sees a half-written key.
        Path written = Files.createTempFile(parent, ".master-key", ".tmp");
        try {
            if (written.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(written, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, written);
        } catch (FileAlreadyExistsException createdMeanwhile) {
            // Another function of the same pipeline wrote it first: its key is the one to use.
        } finally {
            Files.deleteIfExists(written);
        }
    }
}
