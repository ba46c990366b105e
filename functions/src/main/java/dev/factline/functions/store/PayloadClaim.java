package dev.factline.functions.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A claim check: what an event holds in place of a payload too large to keep in its commit, the
 * SHA-256 digest and length of the payload's UTF-8 bytes as stored (sealed, if it holds personal
 * data). The blob lives under a key made of the digest alone, so equal payloads share one blob and
 * a blob, once written, never changes: whatever is read back under the key either has the digest
 * or is not the payload (see {@link #verified}).
 */
public record PayloadClaim(String sha256, long bytes) {

    /** Where event payloads' blobs live in the bucket. */
    public static final String PAYLOADS = "payloads/sha256/";
    /** Where read-table views' blobs live: apart from payloads, so a function can be granted one and not the other. */
    public static final String VIEWS = "views/sha256/";

    private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String SHA_256 = "sha256";
    private static final String BYTES = "bytes";

    public PayloadClaim {
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA_256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a payload claim's digest must be 64 lower-case hex digits, not " + sha256);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("a payload claim's length must be 0 or more, but was " + bytes);
        }
    }

    /** The claim of {@code payload}: its UTF-8 bytes' digest and length. */
    public static PayloadClaim of(byte[] payload) {
        return new PayloadClaim(HexFormat.of().formatHex(sha256(payload)), payload.length);
    }

    /** The object key of the blob under {@code prefix} ({@link #PAYLOADS}, {@link #VIEWS}): the prefix and the digest. */
    public String key(String prefix) {
        return prefix + sha256;
    }

    /** The claim as DynamoDB holds it in place of the text: the map {@code {sha256: S, bytes: N}}. */
    public AttributeValue attribute() {
        return AttributeValue.fromM(Map.of(SHA_256, AttributeValue.fromS(sha256), BYTES, AttributeValue.fromN(Long.toString(bytes))));
    }

    /**
     * The claim {@code attribute} holds.
     *
     * @param what what holds the claim, for the message
     * @throws IllegalStateException if it is no claim
     */
    public static PayloadClaim fromAttribute(AttributeValue attribute, String what) {
        AttributeValue digest = attribute.hasM() ? attribute.m().get(SHA_256) : null;
        AttributeValue bytes = attribute.hasM() ? attribute.m().get(BYTES) : null;
        if (digest == null || digest.s() == null || bytes == null || bytes.n() == null) {
            throw new IllegalStateException(what + " holds no claim check: it needs a map of " + SHA_256 + " and " + BYTES + ", not " + attribute);
        }
        return new PayloadClaim(digest.s(), Long.parseLong(bytes.n()));
    }

    /**
     * {@code blob} as the payload text, if it is the payload this claim names.
     *
     * @param event what the claim belongs to, for the message
     * @throws PayloadTamperedException if the blob's length or digest differ from the claim's
     */
    public String verified(byte[] blob, String event) {
        if (blob.length != bytes || !MessageDigest.isEqual(sha256(blob), HexFormat.of().parseHex(sha256))) {
            throw new PayloadTamperedException("the payload of " + event + " fails its claim check: its blob has "
                    + blob.length + " bytes and digest " + HexFormat.of().formatHex(sha256(blob)) + ", but the event names "
                    + bytes + " bytes with digest " + sha256);
        }
        return new String(blob, StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
