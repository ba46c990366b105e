package dev.factline.functions.query;

import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.Texts;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of a list ended, as an opaque token for the next page's {@code after}: base64url
 * (no padding) of the listing it belongs to and the position, {@code <listing>\n<position>}.
 * Opaque so that clients follow {@code next} links instead of building positions, which leaves
 * the encoding free to change; naming the listing makes a cursor of another list a 400 instead
 * of a page of the wrong one.
 */
final class Cursor {

    /** Longer than any cursor this function writes; longer input is refused before decoding. */
    static final int MAX_LENGTH = 1024;
    private static final char SEPARATOR = '\n';

    private Cursor() {
    }

    /** The token for {@code position} in {@code listing}, e.g. ({@code account#a-1/events}, {@code 20}). */
    static String encode(String listing, String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((listing + SEPARATOR + position).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position a token holds for {@code listing}; a token that is not one of this listing's is a
     * 400. The position itself is the caller's to check.
     */
    static String decode(String listing, String token) {
        if (token.isEmpty() || token.length() > MAX_LENGTH) {
            throw refused(token, "it is empty or too long");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException notBase64) {
            throw refused(token, "it is not one this API wrote");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notText) {
            throw refused(token, "it is not one this API wrote");
        }
        int separator = text.indexOf(SEPARATOR);
        if (separator < 0) {
            throw refused(token, "it is not one this API wrote");
        }
        if (!text.substring(0, separator).equals(listing)) {
            throw refused(token, "it belongs to another list");
        }
        return text.substring(separator + 1);
    }

    static ProblemException refused(String token, String why) {
        return ProblemException.of(ProblemType.INVALID_REQUEST, "the cursor " + Texts.quoted(token) + " cannot be used here: " + why
                + "; follow the next link of the previous page, or leave out 'after' to start from the beginning");
    }
}
