package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventCodecTest {

    sealed interface Greeting permits Hello, Goodbye {
    }

    /** v1 stored {@code {"name": "Ada Lovelace"}}; v2 split it; v3 added a salutation. */
    record Hello(String firstName, String lastName, String salutation) implements Greeting {
    }

    record Goodbye() implements Greeting {
    }

    sealed interface Quote permits Priced {
    }

    record Priced(BigDecimal price) implements Quote {
    }

    private static ObjectNode splitName(ObjectNode v1) {
        String[] parts = v1.remove("name").asText().split(" ", 2);
        return v1.put("firstName", parts[0]).put("lastName", parts.length > 1 ? parts[1] : "");
    }

    private static ObjectNode addSalutation(ObjectNode v2) {
        return v2.put("salutation", "Dear");
    }

    private static final EventCodec<Greeting> CODEC = EventCodec.builder(Greeting.class)
            .register("Hello", Hello.class, 3)
            .register("Goodbye", Goodbye.class)
            .upcaster("Hello", 1, EventCodecTest::splitName)
            .upcaster("Hello", 2, EventCodecTest::addSalutation)
            .build();

    private static final StreamId STREAM = StreamId.of("greeting", "g-1");

    private static RecordedEvent stored(String type, int schemaVersion, String payload) {
        return new RecordedEvent(UUID.randomUUID(), STREAM, 7, type, schemaVersion, Instant.EPOCH, payload, EventMetadata.forCommand("c-1"));
    }

    @Nested
    class Encoding {

        @Test
        void writes_the_type_name_and_the_current_schema_version() {
            SerializedEvent encoded = CODEC.encode(new Hello("Ada", "Lovelace", "Dear"));

            assertThat(encoded.type()).isEqualTo("Hello");
            assertThat(encoded.schemaVersion()).isEqualTo(3);
            assertThat(encoded.payload()).isEqualTo("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"salutation\":\"Dear\"}");
        }

        @Test
        void round_trips_the_current_shape() {
            Hello hello = new Hello("Grace", "Hopper", "Hi");
            SerializedEvent encoded = CODEC.encode(hello);

            assertThat(CODEC.decode(stored(encoded.type(), encoded.schemaVersion(), encoded.payload()))).isEqualTo(hello);
        }
    }

    @Nested
    class Upcasting {

        @Test
        void a_v1_payload_runs_the_whole_chain() {
            Greeting decoded = CODEC.decode(stored("Hello", 1, "{\"name\":\"Ada Lovelace\"}"));

            assertThat(decoded).isEqualTo(new Hello("Ada", "Lovelace", "Dear"));
        }

        @Test
        void decimals_keep_every_digit_through_the_chain() {
            EventCodec<Quote> quotes = EventCodec.builder(Quote.class)
                    .register("Priced", Priced.class, 2)
                    .upcaster("Priced", 1, v1 -> {
                        v1.set("price", v1.remove("amount"));
                        return v1;
                    })
                    .build();
            String digits = "0.12345678901234567890123";

            Quote upcast = quotes.decode(stored("Priced", 1, "{\"amount\":" + digits + "}"));
            Quote current = quotes.decode(stored("Priced", 2, "{\"price\":" + digits + "}"));

            assertThat(upcast).isEqualTo(new Priced(new BigDecimal(digits))).isEqualTo(current);
        }

        @Test
        void a_v2_payload_runs_only_the_steps_after_it() {
            Greeting decoded = CODEC.decode(stored("Hello", 2, "{\"firstName\":\"Alan\",\"lastName\":\"Turing\"}"));

            assertThat(decoded).isEqualTo(new Hello("Alan", "Turing", "Dear"));
        }
    }

    @Nested
    class Refusing_to_decode {

        @Test
        void a_json_null_payload_is_refused_not_returned() {
            assertThatThrownBy(() -> CODEC.decode(stored("Goodbye", 1, "null")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("payload is JSON null");
        }

        @Test
        void an_unknown_type_names_the_stream_version_and_type() {
            assertThatThrownBy(() -> CODEC.decode(stored("Wave", 1, "{}")))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.streamId()).isEqualTo(STREAM);
                        assertThat(e.version()).isEqualTo(7);
                        assertThat(e.type()).isEqualTo("Wave");
                    })
                    .hasMessage("cannot decode event Wave (schema v1) at greeting#g-1 version 7: unknown event type; this codec knows [Goodbye, Hello]");
        }

        @Test
        void a_schema_version_newer_than_the_reader_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("Hello", 4, "{}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("schema version 4 is newer than the v3 this reader knows");
        }

        @Test
        void a_payload_missing_a_field_is_refused_not_defaulted() {
            assertThatThrownBy(() -> CODEC.decode(stored("Hello", 3, "{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("at greeting#g-1 version 7")
                    .hasMessageContaining("salutation");
        }

        @Test
        void a_payload_with_an_unknown_field_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("Goodbye", 1, "{\"wave\":true}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("wave");
        }

        @Test
        void malformed_json_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("Goodbye", 1, "{not json")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("payload does not fit Goodbye");
        }

        @Test
        void an_old_payload_that_is_not_an_object_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("Hello", 1, "[1,2]")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("payload is not a JSON object");
        }

        @Test
        void an_upcaster_that_fails_is_named() {
            assertThatThrownBy(() -> CODEC.decode(stored("Hello", 1, "{\"nom\":\"Ada\"}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("upcaster v1 -> v2 failed");
        }
    }

    @Nested
    class Building {

        @Test
        void a_permitted_event_without_a_type_name_stops_the_build() {
            assertThatThrownBy(() -> EventCodec.builder(Greeting.class).register("Goodbye", Goodbye.class).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Hello is a Greeting but has no type name");
        }

        @Test
        void a_missing_upcaster_stops_the_build() {
            assertThatThrownBy(() -> EventCodec.builder(Greeting.class)
                            .register("Hello", Hello.class, 3)
                            .register("Goodbye", Goodbye.class)
                            .upcaster("Hello", 1, EventCodecTest::splitName)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Hello is at v3 but has no upcaster from v2");
        }

        @Test
        void an_upcaster_outside_the_chain_stops_the_build() {
            assertThatThrownBy(() -> EventCodec.builder(Greeting.class)
                            .register("Hello", Hello.class)
                            .register("Goodbye", Goodbye.class)
                            .upcaster("Hello", 1, EventCodecTest::splitName)
                            .upcaster("Ciao", 1, EventCodecTest::splitName)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Hello: upcaster from v1 lies outside v1..v0")
                    .hasMessageContaining("upcasters given for unregistered type 'Ciao'");
        }

        @Test
        void a_type_name_or_class_registered_twice_is_refused() {
            assertThatThrownBy(() -> EventCodec.builder(Greeting.class).register("Hello", Hello.class).register("Hello", Goodbye.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("registered twice");
            assertThatThrownBy(() -> EventCodec.builder(Greeting.class).register("Hello", Hello.class).register("Hi", Hello.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("under two type names");
        }

        @Test
        void a_type_name_must_be_pascal_case() {
            assertThatThrownBy(() -> EventCodec.builder(Greeting.class).register("hello-v1", Hello.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PascalCase");
        }

        @Test
        void an_unregistered_event_cannot_be_encoded() {
            EventCodec<Object> open = EventCodec.builder(Object.class).register("Goodbye", Goodbye.class).build();

            assertThatThrownBy(() -> open.encode(new Hello("a", "b", "c")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not registered");
        }
    }
}
