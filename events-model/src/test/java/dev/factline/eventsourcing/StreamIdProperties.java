package dev.factline.eventsourcing;

import static dev.factline.eventsourcing.Generators.DIGITS;
import static dev.factline.eventsourcing.Generators.LOWER_CASE;
import static dev.factline.eventsourcing.Generators.UPPER_CASE;
import static dev.factline.eventsourcing.Generators.charactersOf;
import static dev.factline.eventsourcing.Generators.oneOf;
import static dev.factline.eventsourcing.Generators.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamIdProperties {

    @Test
    void printing_and_parsing_round_trips() {
        qt().withExamples(1_000).forAll(types(), ids()).checkAssert((type, id) -> {
            StreamId original = StreamId.of(type, id);

            assertThat(StreamId.parse(original.toString())).isEqualTo(original);
        });
    }

    private static Gen<String> types() {
        Gen<String> rest = strings(oneOf(LOWER_CASE, DIGITS, charactersOf("-")), 0, 31);
        return LOWER_CASE.zip(rest, (first, tail) -> first + tail);
    }

    private static Gen<String> ids() {
        Gen<String> rest = strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS, charactersOf(".:_-")), 0, 127);
        return strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS), 1, 1).zip(rest, String::concat);
    }
}
