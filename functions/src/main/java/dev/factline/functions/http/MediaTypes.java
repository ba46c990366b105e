package dev.factline.functions.http;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The one media type command bodies come in: {@code application/json}, in UTF-8. */
final class MediaTypes {

    static final String JSON = "application/json";

    private MediaTypes() {
    }

    /**
     * Refuses a {@code Content-Type} that is not {@code application/json} (415). Parameters are
     * allowed; a charset, if named, must be UTF-8, the only encoding of JSON (RFC 8259).
     */
    static void requireJson(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("the request has a body but no Content-Type; send it as application/json");
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase(JSON)) {
            throw unsupported("the request body must be application/json, but its Content-Type is " + Texts.quoted(contentType));
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(equals + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw unsupported("JSON bodies are UTF-8, but the Content-Type names charset " + Texts.quoted(charset));
                }
            }
        }
    }

    private static ProblemException unsupported(String detail) {
        return ProblemException.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, detail);
    }
}
