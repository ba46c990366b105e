package dev.factline.eventsourcing;

import static dev.factline.eventsourcing.Generators.integers;
import static dev.factline.eventsourcing.Generators.longs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The stored-facts mapper writes java.time values byte for byte as it did with {@code JavaTimeModule}, and reads what that wrote. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredTimeTest {

    /** The stored facts' mapper as it was before {@link StoredTime}. */
    private static final ObjectMapper WITH_JAVA_TIME_MODULE = Json.settings().addModule(new JavaTimeModule()).build();
    private static final ObjectMapper STORED = Json.strictMapper();

    record Stamped(Instant at, YearMonth month, List<Instant> history) {
    }

    @Test
    void instants_and_months_are_written_as_java_time_module_wrote_them_and_read_back_both_ways() {
        // Fractions of every length (trailing zeros included), the epoch, before it, and years past 9999.
        List<Instant> instants = List.of(Instant.EPOCH, Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:00:00.100Z"),
                Instant.parse("2026-03-01T10:00:00.120Z"), Instant.ofEpochSecond(1_772_000_000, 123_000), Instant.ofEpochSecond(1_772_000_000, 1),
                Instant.ofEpochSecond(-1, 999_999_999), Instant.parse("+12026-01-01T00:00:00Z"), Instant.MIN, Instant.MAX);
        List<YearMonth> months = List.of(YearMonth.of(2026, 3), YearMonth.of(1, 12), YearMonth.of(0, 1), YearMonth.of(-5, 6), YearMonth.of(12_026, 1));

        for (Instant instant : instants) {
            for (YearMonth month : months) {
                assertSameBothWays(new Stamped(instant, month, List.of(instant, Instant.EPOCH)));
            }
        }
    }

    @Test
    void any_instant_is_written_as_java_time_module_wrote_it() {
        qt().forAll(longs(-62_135_596_800L, 253_402_300_799L), integers(0, 999_999_999), integers(0, 3))
                .checkAssert((seconds, nanos, precision) -> {
                    // Whole seconds, millis, micros or nanos: Instant.toString writes the fraction in groups of three.
                    int truncated = nanos - nanos % (int) Math.pow(1000, 3 - precision);
                    Instant instant = Instant.ofEpochSecond(seconds, truncated);
                    assertSameBothWays(new Stamped(instant, YearMonth.from(instant.atOffset(java.time.ZoneOffset.UTC)), List.of(instant)));
                });
    }

    @Test
    void a_stored_instant_that_is_not_iso_8601_is_a_format_error() {
        assertThatThrownBy(() -> STORED.readValue("{\"at\":\"yesterday\",\"month\":\"2026-03\",\"history\":[]}", Stamped.class))
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> STORED.readValue("{\"at\":12,\"month\":\"2026-03\",\"history\":[]}", Stamped.class))
                .isInstanceOf(MismatchedInputException.class);
    }

    private static void assertSameBothWays(Stamped value) {
        try {
            String before = WITH_JAVA_TIME_MODULE.writeValueAsString(value);
            String now = STORED.writeValueAsString(value);
            assertThat(now).isEqualTo(before);
            assertThat(STORED.readValue(before, Stamped.class)).isEqualTo(value);
            assertThat(WITH_JAVA_TIME_MODULE.readValue(now, Stamped.class)).isEqualTo(value);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
