package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope format as the class comment and docs/decisions/publisher-order.md document it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherEnvelopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID EVENT_ID = UUID.fromString("5f0c6a52-8a8e-4f0f-9d0e-3c1b2a4d5e6f");
    private static final Instant OCCURRED_AT = Instant.parse("2026-03-01T10:00:00Z");

    private static RecordedEvent event(String payload, EventMetadata metadata) {
        return new RecordedEvent(EVENT_ID, StreamId.of("account", "a-42"), 3, "MoneyDeposited", 3, OCCURRED_AT, payload, metadata);
    }

    private static String text(byte[] envelope) {
        return new String(envelope, StandardCharsets.UTF_8);
    }

    @Nested
    class Its_shape {

        @Test
        void is_one_json_object_with_the_documented_members_in_order() throws Exception {
            byte[] envelope = EventEnvelopes.encode(event("{\"amount\":{\"minorUnits\":1250,\"currency\":\"EUR\"},\"reference\":null}",
                    new EventMetadata("req-1", "corr-1", "evt-9")));

            assertThat(text(envelope)).isEqualTo("{\"eventId\":\"5f0c6a52-8a8e-4f0f-9d0e-3c1b2a4d5e6f\",\"streamId\":\"account#a-42\","
                    + "\"version\":3,\"type\":\"MoneyDeposited\",\"schemaVersion\":3,\"occurredAt\":\"2026-03-01T10:00:00Z\","
                    + "\"payload\":{\"amount\":{\"minorUnits\":1250,\"currency\":\"EUR\"},\"reference\":null},"
                    + "\"metadata\":{\"commandId\":\"req-1\",\"correlationId\":\"corr-1\",\"causationId\":\"evt-9\"}}");
            JsonNode parsed = JSON.readTree(envelope);
            assertThat(parsed.get("payload").isObject()).as("the payload is an object, not a string").isTrue();
            assertThat(parsed.get("version").isIntegralNumber()).isTrue();
        }

        @Test
        void a_command_without_a_cause_has_an_explicit_null_causation_id() throws Exception {
            JsonNode metadata = JSON.readTree(EventEnvelopes.encode(event("{}", EventMetadata.forCommand("req-7")))).get("metadata");

            assertThat(metadata.has("causationId")).isTrue();
            assertThat(metadata.get("causationId").isNull()).isTrue();
            assertThat(metadata.get("correlationId").asText()).isEqualTo("req-7");
        }

        @Test
        void the_payload_is_published_byte_for_byte_as_stored_so_decimals_keep_every_digit() {
            String payload = "{\"rate\":0.10000000000000000000001,\"big\":123456789012345678901234567890,\"exp\":1.50E+3,\"text\":\"\\u00e9\\n\"}";

            assertThat(text(EventEnvelopes.encode(event(payload, EventMetadata.forCommand("req-1")))))
                    .contains("\"payload\":" + payload + ",\"metadata\"");
        }

        @Test
        void strings_are_escaped_and_its_size_counts_utf_8_bytes() throws Exception {
            RecordedEvent quoted = new RecordedEvent(EVENT_ID, StreamId.of("account", "a-42"), 1, "Noted", 1, OCCURRED_AT,
                    "{\"note\":\"é\"}", new EventMetadata("say \"hi\"", "corr", null));

            byte[] envelope = EventEnvelopes.encode(quoted);

            assertThat(JSON.readTree(envelope).at("/metadata/commandId").asText()).isEqualTo("say \"hi\"");
            assertThat(envelope.length).isEqualTo(text(envelope).getBytes(StandardCharsets.UTF_8).length)
                    .isGreaterThan(text(envelope).length());
        }
    }

    @Nested
    class Its_contract {

        private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

        /** A schema of the committed contract, as the events-model jar ships it. */
        static Schema committed(String resource) throws Exception {
            try (InputStream schema = PublisherEnvelopeTest.class.getClassLoader().getResourceAsStream("contracts/" + resource)) {
                assertThat(schema).as("contracts/%s in the events-model jar", resource).isNotNull();
                return SCHEMAS.getSchema(schema);
            }
        }

        @Test
        void every_envelope_follows_the_committed_envelope_schema_and_its_payload_the_schema_its_schema_version_names() throws Exception {
            Money amount = Money.of(1250, "EUR");
            SerializedEvent deposited = Accounts.codec().encode(new MoneyDeposited(amount, "Rent, December"));
            RecordedEvent event = new RecordedEvent(EVENT_ID, StreamId.of("account", "a-42"), 3, deposited.type(), deposited.schemaVersion(),
                    OCCURRED_AT, deposited.payload(), EventMetadata.forCommand("req-1"));

            JsonNode envelope = JSON.readTree(EventEnvelopes.encode(event));

            assertThat(committed("envelope.json").validate(envelope)).isEmpty();
            assertThat(envelope.get("schemaVersion").asInt()).isEqualTo(Accounts.MONEY_DEPOSITED_SCHEMA_VERSION);
            assertThat(committed("schemas/MoneyDeposited/" + envelope.get("schemaVersion").asInt() + ".json").validate(envelope.get("payload")))
                    .isEmpty();
        }

        @Test
        void an_envelope_without_its_schema_version_breaks_the_contract() throws Exception {
            ObjectNode envelope = (ObjectNode) JSON.readTree(EventEnvelopes.encode(event("{}", EventMetadata.forCommand("req-1"))));
            envelope.remove("schemaVersion");

            assertThat(committed("envelope.json").validate(envelope)).singleElement().asString().contains("schemaVersion");
        }
    }

    @Nested
    class Payloads_it_refuses {

        @ParameterizedTest
        @ValueSource(strings = {"[1,2]", "\"text\"", "42", "null", "{\"a\":1} {\"b\":2}", "{\"a\":1}x", "{\"a\":", "not json", ""})
        void anything_but_exactly_one_json_object(String payload) {
            assertThatThrownBy(() -> EventEnvelopes.encode(event(payload, EventMetadata.forCommand("req-1"))))
                    .isInstanceOf(UnpublishableEventException.class)
                    .hasMessageContaining("MoneyDeposited " + EVENT_ID + " at account#a-42 v3");
        }

        @Test
        void but_whitespace_around_the_object_is_fine() {
            for (String payload : List.of(" {\"a\":1} ", "{ }\n")) {
                assertThat(text(EventEnvelopes.encode(event(payload, EventMetadata.forCommand("req-1"))))).contains("\"payload\":");
            }
        }
    }
}
