package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class StreamIdProperties {

    @Property
    void printing_and_parsing_round_trips(
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String letters,
            @ForAll @NumericChars @StringLength(min = 1, max = 20) String digits) {
        StreamId original = StreamId.of("t" + letters.toLowerCase(Locale.ROOT), digits + letters);

        assertThat(StreamId.parse(original.toString())).isEqualTo(original);
    }
}
