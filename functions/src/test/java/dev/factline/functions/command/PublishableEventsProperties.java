package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.publisher.EventEnvelopes;
import dev.factline.order.Orders;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * An event the store accepted must be readable by every consumer, whatever text the client
 * sent: each event of every accepted command goes into the publisher's envelope and comes back
 * out as the event the store holds. The commands take the real path (an HTTP API event, the
 * body's parsing, the kernel, the codec, an in-memory store), with strings from all of UTF-16,
 * lone surrogates included, sent as JSON escapes or as they are.
 */
class PublishableEventsProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, EventCodec<?>> CODECS = Map.of(
            Accounts.STREAM_TYPE, Accounts.TYPE.events(),
            Orders.STREAM_TYPE, Orders.TYPE.events());

    @Property(tries = 300)
    void every_event_of_an_accepted_command_comes_back_out_of_the_publishers_envelope_equal(@ForAll("sessions") List<Sent> session)
            throws IOException {
        FunctionUnderTest under = new FunctionUnderTest();
        Set<StreamId> written = new LinkedHashSet<>();
        boolean refusedAsNotText = false;
        boolean acceptedBeyondTheBmp = false;
        for (Sent sent : session) {
            APIGatewayV2HTTPResponse response = under.send(HttpApiEvents.post(sent.path()).json(sent.body()));
            assertThat(response.getStatusCode()).as("%s answered %s", sent, response.getBody()).isLessThan(500);
            if (response.getStatusCode() < 300) {
                written.add(StreamId.parse(FunctionUnderTest.json(response).get("streamId").asText()));
                acceptedBeyondTheBmp |= response.getBody().codePoints().anyMatch(Character::isSupplementaryCodePoint);
            }
            refusedAsNotText |= response.getStatusCode() == 400 && response.getBody().contains("is not Unicode text");
        }

        for (StreamId stream : written) {
            for (RecordedEvent stored : under.events.load(stream)) {
                RecordedEvent consumed = consumed(EventEnvelopes.encode(stored));

                assertThat(consumed).usingRecursiveComparison().ignoringFields("payload").isEqualTo(stored);
                assertThat(decoded(consumed)).isEqualTo(decoded(stored));
            }
        }
        // The runs reach both corners, so the property is not true for want of such text.
        Statistics.label("a string refused as not Unicode text").collect(refusedAsNotText);
        Statistics.label("a string refused as not Unicode text").coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
        Statistics.label("an accepted event beyond the BMP").collect(acceptedBeyondTheBmp);
        Statistics.label("an accepted event beyond the BMP").coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
    }

    /** The envelope as a consumer reads it: plain Jackson, nothing of the publisher's code. */
    private static RecordedEvent consumed(byte[] envelope) throws IOException {
        JsonNode json = JSON.readTree(envelope);
        JsonNode metadata = json.required("metadata");
        JsonNode causation = metadata.required("causationId");
        return new RecordedEvent(UUID.fromString(json.required("eventId").asText()), StreamId.parse(json.required("streamId").asText()),
                json.required("version").asLong(), json.required("type").asText(), json.required("schemaVersion").asInt(),
                Instant.parse(json.required("occurredAt").asText()), JSON.writeValueAsString(json.required("payload")),
                new EventMetadata(metadata.required("commandId").asText(), metadata.required("correlationId").asText(),
                        causation.isNull() ? null : causation.asText()));
    }

    private static Object decoded(RecordedEvent event) {
        return CODECS.get(event.streamId().type()).decode(event);
    }

    /** A request's path and body, shown as such when a run fails. */
    record Sent(String path, String body) {
    }

    /** Account {@code a-1} and order {@code o-1} on it, then commands whose strings come from {@link #texts()}. */
    @Provide
    Arbitrary<List<Sent>> sessions() {
        Arbitrary<ObjectNode> deposit = Combinators.combine(Arbitraries.longs().between(1, 10_000), texts().injectNull(0.2))
                .as((minorUnits, reference) -> body("amount", money(minorUnits)).put("reference", reference));
        Arbitrary<ObjectNode> account = Combinators.combine(texts(), texts())
                .as((accountId, ownerId) -> body("accountId", accountId).put("ownerId", ownerId).put("currency", "EUR"));
        Arbitrary<ObjectNode> order = Combinators.combine(Arbitraries.integers().between(2, 4), texts(), texts())
                .as(PublishableEventsProperties::order);
        Arbitrary<Tuple.Tuple2<String, ObjectNode>> command = Arbitraries.frequencyOf(
                Tuple.of(3, deposit.map(body -> Tuple.of("/accounts/a-1/deposits", body))),
                Tuple.of(2, account.map(body -> Tuple.of("/accounts", body))),
                Tuple.of(2, order.map(body -> Tuple.of("/orders", body))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, 4), texts())
                        .as((id, reason) -> Tuple.of("/orders/o-" + id + "/cancellation", body("reason", reason)))));
        Arbitrary<Sent> sent = Combinators.combine(command, Arbitraries.of(true, false))
                .as((pathAndBody, escaped) -> new Sent(pathAndBody.get1(), write(pathAndBody.get2(), escaped)));
        return sent.list().ofMinSize(1).ofMaxSize(8).map(commands -> {
            List<Sent> session = new ArrayList<>();
            session.add(new Sent("/accounts", write(body("accountId", "a-1").put("ownerId", "c-1").put("currency", "EUR"), false)));
            session.add(new Sent("/orders", write(order(1, "c-1", "SKU-1"), false)));
            session.addAll(commands);
            return session;
        });
    }

    /** Ids a command takes, any UTF-16 text, surrogates in and out of pairs, characters beyond the BMP, a few that are hard to carry. */
    private static Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("-._:").ofMinLength(1).ofMaxLength(12)),
                Tuple.of(3, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\uD800', '\uDFFF').withChars("a€").ofMinLength(1).ofMaxLength(6)),
                Tuple.of(2, Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)
                        .map(Character::toString).list().ofMinSize(1).ofMaxSize(4).map(characters -> String.join("", characters))),
                Tuple.of(1, Arbitraries.of("\uD83D\uDE00", "note \uD83D\uDE00", "\uFFFD", "\u0000", "\u2028", "\"\\\n", "\uFEFFbom")));
    }

    private static ObjectNode order(int id, String customerId, String sku) {
        ObjectNode order = body("orderId", "o-" + id).put("customerId", customerId).put("accountId", "a-1").put("currency", "EUR");
        order.putArray("lines").addObject().put("sku", sku).put("quantity", 1).set("unitPrice", money(100));
        return order;
    }

    private static ObjectNode body(String name, String value) {
        return JSON.createObjectNode().put(name, value);
    }

    private static ObjectNode body(String name, ObjectNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.set(name, value);
        return body;
    }

    private static ObjectNode money(long minorUnits) {
        return JSON.createObjectNode().put("minorUnits", minorUnits).put("currency", "EUR");
    }

    /** The body as a client writes it: every character beyond ASCII as a JSON escape, or as it is. */
    private static String write(ObjectNode body, boolean escaped) {
        try {
            return (escaped ? JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII) : JSON.writer()).writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
