package dev.factline.functions.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.Json;
import dev.factline.eventsourcing.StreamId;
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
 * another request under the same key.
 *
 * <p>The fingerprint is taken of the command as read, not of the body's bytes: the hex SHA-256
 * of the route, the stream and the command record as JSON. A retry whose JSON differs only in
 * member order, whitespace, string escapes or an explicit {@code null} for an absent optional is
 * the same command, so it is a repeat, not a reuse.
 *
 * <p>The route key is the command's type name: each route reads one type of command, and the
 * key is as stable as the API (a retry goes to the route the request went to). Like an event's
 * type name, it is not the Java class name, so renaming or moving a command record leaves every
 * fingerprint as it was and a retry across that release still a repeat. Claims live 24 hours,
 * so a change to what is hashed refuses the retries of that day as reuses.
 */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";

    private static final ObjectWriter COMMANDS = Json.strictMapper().writer();

    private IdempotencyKeys() {
    }

    static @Nullable IdempotencyKey read(HttpRequest request) {
        String header = request.header(HEADER);
        if (header == null) {
            return null;
        }
        if (header.indexOf(',') >= 0) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST,
                    "send one " + HEADER + ", without commas (a comma means the header came more than once)");
        }
        try {
            return new IdempotencyKey(header);
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST,
                    HEADER + " must be 8-128 visible ASCII characters without spaces, but was " + Texts.quoted(header));
        }
    }

    static String fingerprint(String routeKey, StreamId streamId, Object command) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((routeKey + "\n" + streamId + "\n").getBytes(StandardCharsets.UTF_8));
            sha256.update(COMMANDS.writeValueAsBytes(command));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a command record did not write as JSON: " + e.getOriginalMessage(), e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
