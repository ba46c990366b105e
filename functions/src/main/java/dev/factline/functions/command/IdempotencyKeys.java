package dev.factline.functions.command;

import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.Texts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Idempotency-Key} header, and the fingerprint that tells a repeat of a request from
 * another request under the same key: the hex SHA-256 of {@code METHOD + " " + rawPath + "\n" +
 * body}, over the body's bytes as received (after base64 decoding).
 */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";

    private IdempotencyKeys() {
    }

    static @Nullable Idempotency read(HttpRequest request, byte[] body) {
        String header = request.header(HEADER);
        if (header == null) {
            return null;
        }
        IdempotencyKey key;
        try {
            key = new IdempotencyKey(header);
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST,
                    HEADER + " must be 8-128 visible ASCII characters without spaces, but was " + Texts.quoted(header));
        }
        return new Idempotency(key, fingerprint(request.method(), request.path(), body));
    }

    static String fingerprint(String method, String path, byte[] body) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha256.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
        sha256.update(body);
        return HexFormat.of().formatHex(sha256.digest());
    }
}
