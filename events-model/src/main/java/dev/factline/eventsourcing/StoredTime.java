package dev.factline.eventsourcing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * The java.time types stored facts hold, as {@code JavaTimeModule} wrote them with
 * {@code WRITE_DATES_AS_TIMESTAMPS} off: their {@code toString()} ({@code Instant} is
 * {@code ISO_INSTANT}, fractions in groups of three digits: {@code 2026-03-01T10:00:00.100Z}),
 * read back as it read them ({@code Instant.parse}; a month with its pattern {@code u-MM}). Hand-written for cold start: {@code JavaTimeModule} loaded
 * some 75 classes in every function (its serializers for every java.time type and the formatters
 * and locale data they build) for the two types used here (docs/decisions/cold-start.md). Another java.time type in a stored fact
 * fails on write (Jackson refuses java.time types it has no serializer for), never silently.
 */
final class StoredTime {

    private StoredTime() {
    }

    static SimpleModule module() {
        return new SimpleModule("factline-stored-time")
                .addSerializer(Instant.class, new AsText<>())
                .addDeserializer(Instant.class, new Parsed<>(Instant.class, Instant::parse))
                .addSerializer(YearMonth.class, new AsText<>())
                .addDeserializer(YearMonth.class, new Parsed<>(YearMonth.class, text -> YearMonth.parse(text, MonthFormat.READ)));
    }

    /** {@code JavaTimeModule}'s pattern, which reads a year past 9999 as {@code toString()} writes it (no sign); a holder, so init builds no formatter. */
    private static final class MonthFormat {
        static final DateTimeFormatter READ = DateTimeFormatter.ofPattern("u-MM");
    }

    private static final class AsText<T> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(value.toString());
        }
    }

    private static final class Parsed<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parse;

        Parsed(Class<T> type, Function<String, T> parse) {
            this.type = type;
            this.parse = parse;
        }

        @Override
        @SuppressWarnings("unchecked") // the context's handlers return a value of the type they are asked for, or throw
        public T deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() != JsonToken.VALUE_STRING) {
                return (T) context.handleUnexpectedToken(type, json);
            }
            String text = json.getText();
            try {
                return parse.apply(text);
            } catch (DateTimeException e) {
                return (T) context.handleWeirdStringValue(type, text, e.getMessage());
            }
        }
    }
}
