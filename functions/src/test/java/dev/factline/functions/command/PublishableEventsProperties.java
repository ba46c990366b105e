package dev.factline.functions.command;

import static dev.factline.eventsourcing.Generators.DIGITS;
import static dev.factline.eventsourcing.Generators.LOWER_CASE;
import static dev.factline.eventsourcing.Generators.UPPER_CASE;
import static dev.factline.eventsourcing.Generators.characters;
import static dev.factline.eventsourcing.Generators.charactersOf;
import static dev.factline.eventsourcing.Generators.integers;
import static dev.factline.eventsourcing.Generators.lists;
import static dev.factline.eventsourcing.Generators.longs;
import static dev.factline.eventsourcing.Generators.oneOf;
import static dev.factline.eventsourcing.Generators.orNull;
import static dev.factline.eventsourcing.Generators.strings;
import static dev.factline.eventsourcing.Generators.weight;
import static dev.factline.eventsourcing.Generators.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.Coverage;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.publisher.EventEnvelopes;
import dev.factline.order.Orders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * An event the store accepted must be readable by every consumer, whatever text the client
 * sent: each event of every accepted command goes into the publisher's envelope and comes back
 * out as the event the store holds. The commands take the real path (an HTTP API event, the
 * body's parsing, the kernel, the codec, an in-memory store), with strings from all of UTF-16,
 * lone surrogates included, sent as JSON escapes or as they are.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublishableEventsProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFUSED_AS_NOT_TEXT = "a string refused as not Unicode text";
    private static final String ACCEPTED_BEYOND_THE_BMP = "an accepted event beyond the BMP";
    /** Every UTF-16 unit but surrogates (those come paired or lone from a generator of their own), noncharacters and private use. */
    private static final List<Character> PLAIN_UTF16_UNITS = IntStream.rangeClosed(Character.MIN_VALUE, Character.MAX_VALUE)
            .filter(unit -> !Character.isSurrogate((char) unit) && !(unit >= 0xFDD0 && unit <= 0xFDEF) && unit != 0xFFFE && unit != 0xFFFF
                    && !(unit >= 0xE000 && unit <= 0xF8FF))
            .mapToObj(unit -> (char) unit)
            .toList();
    private static final Map<String, EventCodec<?>> CODECS = Map.of(
            Accounts.STREAM_TYPE, Accounts.TYPE.events(),
            Orders.STREAM_TYPE, Orders.TYPE.events());

    @Test
    void every_event_of_an_accepted_command_comes_back_out_of_the_publishers_envelope_equal() {
        Coverage coverage = new Coverage(List.of(REFUSED_AS_NOT_TEXT, ACCEPTED_BEYOND_THE_BMP));
        qt().withExamples(300).forAll(sessions()).checkAssert(session -> {
            FunctionUnderTest under = new FunctionUnderTest();
            Set<StreamId> written = new LinkedHashSet<>();
            Set<String> reached = new HashSet<>();
            for (Sent sent : session) {
                APIGatewayV2HTTPResponse response = under.send(HttpApiEvents.post(sent.path()).json(sent.body()));
                assertThat(response.getStatusCode()).as("%s answered %s", sent, response.getBody()).isLessThan(500);
                if (response.getStatusCode() < 300) {
                    written.add(StreamId.parse(FunctionUnderTest.json(response).get("streamId").asText()));
                    if (response.getBody().codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
                        reached.add(ACCEPTED_BEYOND_THE_BMP);
                    }
                }
                if (response.getStatusCode() == 400 && response.getBody().contains("is not Unicode text")) {
                    reached.add(REFUSED_AS_NOT_TEXT);
                }
            }

            for (StreamId stream : written) {
                for (RecordedEvent stored : under.events.load(stream)) {
                    RecordedEvent consumed = consumed(EventEnvelopes.encode(stored));

                    assertThat(consumed).usingRecursiveComparison().ignoringFields("payload").isEqualTo(stored);
                    assertThat(decoded(consumed)).isEqualTo(decoded(stored));
                }
            }
            coverage.run(reached);
        });
        // The runs reach both corners, so the property is not true for want of such text.
        coverage.assertEachReachedInAtLeast(10);
    }

    /** The envelope as a consumer reads it: plain Jackson, nothing of the publisher's code. */
    private static RecordedEvent consumed(byte[] envelope) {
        try {
            JsonNode json = JSON.readTree(envelope);
            JsonNode metadata = json.required("metadata");
            JsonNode causation = metadata.required("causationId");
            return new RecordedEvent(UUID.fromString(json.required("eventId").asText()), StreamId.parse(json.required("streamId").asText()),
                    json.required("version").asLong(), json.required("type").asText(), json.required("schemaVersion").asInt(),
                    Instant.parse(json.required("occurredAt").asText()), JSON.writeValueAsString(json.required("payload")),
                    new EventMetadata(metadata.required("commandId").asText(), metadata.required("correlationId").asText(),
                            causation.isNull() ? null : causation.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("a consumer cannot read the envelope", e);
        }
    }

    private static Object decoded(RecordedEvent event) {
        return CODECS.get(event.streamId().type()).decode(event);
    }

    /** A request's path and body, shown as such when a run fails. */
    record Sent(String path, String body) {
    }

    /** Account {@code a-1} and order {@code o-1} on it, then commands whose strings come from {@link #texts()}. */
    private static Gen<List<Sent>> sessions() {
        Gen<ObjectNode> deposit = longs(1, 10_000).zip(orNull(texts(), 20),
                (minorUnits, reference) -> body("amount", money(minorUnits)).put("reference", reference));
        Gen<ObjectNode> account = texts().zip(texts(),
                (accountId, ownerId) -> body("accountId", accountId).put("ownerId", ownerId).put("currency", "EUR"));
        Gen<ObjectNode> order = integers(2, 4).zip(texts(), texts(), PublishableEventsProperties::order);
        Gen<PathAndBody> command = weighted(
                weight(3, deposit.map(body -> new PathAndBody("/accounts/a-1/deposits", body))),
                weight(2, account.map(body -> new PathAndBody("/accounts", body))),
                weight(2, order.map(body -> new PathAndBody("/orders", body))),
                weight(2, integers(1, 4).zip(texts(), (id, reason) -> new PathAndBody("/orders/o-" + id + "/cancellation", body("reason", reason)))));
        Gen<Sent> sent = command.zip(Generate.booleans(), (request, escaped) -> new Sent(request.path(), write(request.body(), escaped)));
        return lists(sent, 1, 8).map(commands -> {
            List<Sent> session = new ArrayList<>();
            session.add(new Sent("/accounts", write(body("accountId", "a-1").put("ownerId", "c-1").put("currency", "EUR"), false)));
            session.add(new Sent("/orders", write(order(1, "c-1", "SKU-1"), false)));
            session.addAll(commands);
            return List.copyOf(session);
        });
    }

    private record PathAndBody(String path, ObjectNode body) {
    }

    /** Ids a command takes, any UTF-16 text, surrogates in and out of pairs, characters beyond the BMP, a few that are hard to carry. */
    private static Gen<String> texts() {
        return weighted(
                weight(4, strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS, charactersOf("-._:")), 1, 12)),
                weight(3, strings(Generate.pick(PLAIN_UTF16_UNITS), 1, 12)),
                weight(2, strings(oneOf(characters('\uD800', '\uDFFF'), charactersOf("a€")), 1, 6)),
                weight(2, lists(integers(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT).map(Character::toString), 1, 4)
                        .map(characters -> String.join("", characters))),
                weight(1, Generate.pick(List.of("\uD83D\uDE00", "note \uD83D\uDE00", "\uFFFD", "\u0000", "\u2028", "\"\\\n", "\uFEFFbom"))));
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
