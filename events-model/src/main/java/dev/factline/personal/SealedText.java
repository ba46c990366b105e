package dev.factline.personal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A personal value as it is stored, cached and published: one JSON string that says how it was
 * sealed and with which key, then the AES-GCM nonce and ciphertext with its tag.
 *
 * <pre>
 * fl-sealed/v1/A256GCM/&lt;key id&gt;/&lt;subject&gt;/&lt;base64url(nonce || ciphertext || tag)&gt;
 * </pre>
 *
 * The header (everything before the last part) is the additional authenticated data, so a value
 * moved to another subject or key, or edited anywhere, fails to open. A string keeps every
 * schema, view and row shape as it was: a sealed field is still a text field.
 */
public final class SealedText {

    public static final String PREFIX = "fl-sealed/v1/";
    /** The JDK's AES in Galois/Counter Mode with a 256-bit key, named as JOSE names it. */
    public static final String ALGORITHM = "A256GCM";
    /** What a reader shows for a personal field whose subject was forgotten: stable, never ciphertext. */
    public static final String ERASED = "[erased]";
    static final String SEPARATOR = "/";
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One cipher per thread, initialised afresh (with its own nonce) for each value: {@code Cipher.getInstance} costs as much as a seal. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES-GCM: " + e.getMessage(), e);
        }
    });

    private SealedText() {
    }

    /** The parts of a sealed value that name its key; {@link #open} needs that key. */
    public record Sealed(String keyId, String subject, String header, byte[] sealed) {
    }

    public static boolean isSealed(String text) {
        return text.startsWith(PREFIX);
    }

    /**
     * Refuses free text a client could pass off as sealed data, naming {@code field}.
     *
     * @return {@code text}, for use in assignments
     */
    public static String requireNotSealed(String field, String text) {
        if (isSealed(text)) {
            throw new IllegalArgumentException(field + " may not begin with '" + PREFIX + "', which marks sealed personal data");
        }
        return text;
    }

    /** {@code plain} sealed with {@code key}, under a fresh random nonce. */
    public static String seal(DataKey key, String plain) {
        String header = PREFIX + ALGORITHM + SEPARATOR + key.keyId() + SEPARATOR + key.subject();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = new byte[NONCE_BYTES + ciphertext.length];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            System.arraycopy(ciphertext, 0, sealed, NONCE_BYTES, ciphertext.length);
            return header + SEPARATOR + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot seal with AES-GCM: " + e.getMessage(), e);
        }
    }

    /**
     * The key reference of a sealed value.
     *
     * @throws PersonalDataTamperedException if it starts like sealed text but is not well formed
     */
    public static Sealed parse(String text) {
        String[] parts = text.substring(PREFIX.length()).split(SEPARATOR, -1);
        if (parts.length != 4 || !ALGORITHM.equals(parts[0]) || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new PersonalDataTamperedException("not well-formed sealed text (want " + PREFIX + ALGORITHM + "/<key id>/<subject>/<data>)");
        }
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new PersonalDataTamperedException("sealed text of key " + parts[1] + " has data that is not base64url", e);
        }
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PersonalDataTamperedException("sealed text of key " + parts[1] + " is too short to hold a nonce and a tag");
        }
        return new Sealed(parts[1], parts[2], text.substring(0, text.lastIndexOf(SEPARATOR)), sealed);
    }

    /**
     * The plain value of {@code sealed}, with its key; empty when the key is gone (the subject was forgotten).
     *
     * @throws PersonalDataTamperedException if the data fails its integrity check
     */
    public static Optional<String> open(Sealed sealed, Optional<DataKey> key) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Cipher cipher = GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, key.get().key(), new GCMParameterSpec(TAG_BITS, sealed.sealed(), 0, NONCE_BYTES));
            cipher.updateAAD(sealed.header().getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed.sealed(), NONCE_BYTES, sealed.sealed().length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            throw new PersonalDataTamperedException("sealed text of key " + sealed.keyId() + " fails its integrity check", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot open AES-GCM: " + e.getMessage(), e);
        }
    }
}
