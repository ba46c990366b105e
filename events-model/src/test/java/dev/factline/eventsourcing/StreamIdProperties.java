package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StreamIdProperties {

    @Property
    void printing_and_parsing_round_trips(@ForAll("types") String type, @ForAll("ids") String id) {
        StreamId original = StreamId.of(type, id);

        assertThat(StreamId.parse(original.toString())).isEqualTo(original);
    }

    @Provide
    Arbitrary<String> types() {
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMaxLength(31);
        return Combinators.combine(Arbitraries.chars().range('a', 'z'), rest).as((first, tail) -> first + tail);
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars('.', '_', ':', '-').ofMaxLength(127);
        return Combinators.combine(Arbitraries.strings().alpha().numeric().ofLength(1), rest).as(String::concat);
    }
}
