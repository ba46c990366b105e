package dev.factline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.eventsourcing.EventDecodingException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Json;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPaid;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderEvent.OrderShipped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderCodecTest {

    static final StreamId ORDER = Orders.TYPE.streamId("o-1");
    static final OrderLine BOOKS = new OrderLine("book-1", 2, Money.of(1_250, "EUR"));
    static final Money TOTAL = Money.of(2_500, "EUR");
    static final OrderDetails DETAILS = new OrderDetails("c-1", "a-1", List.of(BOOKS), TOTAL);

    static final String BOOKS_JSON = """
            {"sku": "book-1", "quantity": 2, "unitPrice": {"minorUnits": 1250, "currency": "EUR"}}""";
    static final String TOTAL_JSON = """
            {"minorUnits": 2500, "currency": "EUR"}""";

    static RecordedEvent recorded(String type, int schemaVersion, String payload) {
        return new RecordedEvent(new UUID(0, 7), ORDER, 7, type, schemaVersion, Instant.parse("2026-01-02T03:04:05Z"), payload,
                EventMetadata.forCommand("cmd-1"));
    }

    static RecordedEvent recorded(SerializedEvent serialized) {
        return recorded(serialized.type(), serialized.schemaVersion(), serialized.payload());
    }

    static JsonNode tree(String json) throws JsonProcessingException {
        return Json.strictMapper().readTree(json);
    }

    /** The stored shape of every event: what was written once must read the same forever. */
    static Stream<Arguments> storedShapes() {
        return Stream.of(
                argumentSet("OrderPlaced", new OrderPlaced("c-1", "a-1", List.of(BOOKS), TOTAL), "OrderPlaced", """
                        {"customerId": "c-1", "accountId": "a-1", "lines": [%s], "total": %s}""".formatted(BOOKS_JSON, TOTAL_JSON)),
                argumentSet("OrderPaid", new OrderPaid(TOTAL), "OrderPaid", """
                        {"amount": %s}""".formatted(TOTAL_JSON)),
                argumentSet("OrderShipped", new OrderShipped(), "OrderShipped", "{}"),
                argumentSet("OrderCancelled, unpaid", new OrderCancelled("out of stock", null), "OrderCancelled", """
                        {"reason": "out of stock", "refund": null}"""),
                argumentSet("OrderCancelled, refunded", new OrderCancelled("out of stock", new Refund("a-1", TOTAL)), "OrderCancelled", """
                        {"reason": "out of stock", "refund": {"accountId": "a-1", "amount": %s}}""".formatted(TOTAL_JSON)));
    }

    @Nested
    class Events {

        @ParameterizedTest
        @MethodSource("dev.factline.order.OrderCodecTest#storedShapes")
        void are_written_under_their_type_name_at_their_current_schema(OrderEvent event, String typeName, String json)
                throws JsonProcessingException {
            SerializedEvent serialized = Orders.EVENTS.encode(event);

            assertThat(serialized.type()).isEqualTo(typeName);
            assertThat(serialized.schemaVersion()).isEqualTo(Orders.EVENTS.currentSchemaVersion(typeName));
            assertThat(Orders.EVENTS.decode(recorded(typeName, serialized.schemaVersion(), serialized.payload()))).isEqualTo(event);
            if (serialized.schemaVersion() == 1) {
                assertThat(tree(serialized.payload())).isEqualTo(tree(json));
            }
        }

        @ParameterizedTest
        @MethodSource("dev.factline.order.OrderCodecTest#storedShapes")
        void are_read_back_from_their_stored_shape(OrderEvent event, String typeName, String json) {
            assertThat(Orders.EVENTS.decode(recorded(typeName, 1, json))).isEqualTo(event);
        }

        @Test
        void the_codec_knows_exactly_the_four_order_events_with_only_order_placed_past_v1() {
            assertThat(Orders.EVENTS.typeNames()).containsExactlyInAnyOrder("OrderPlaced", "OrderPaid", "OrderShipped", "OrderCancelled");
            assertThat(Orders.EVENTS.typeNames()).allSatisfy(name -> assertThat(Orders.EVENTS.currentSchemaVersion(name))
                    .isEqualTo(name.equals("OrderPlaced") ? Orders.ORDER_PLACED_SCHEMA_VERSION : 1));
        }

        @Test
        void an_unknown_type_names_the_stream_version_and_type() {
            assertThatThrownBy(() -> Orders.EVENTS.decode(recorded("OrderRefunded", 1, "{}")))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.streamId()).isEqualTo(ORDER);
                        assertThat(e.version()).isEqualTo(7);
                        assertThat(e.type()).isEqualTo("OrderRefunded");
                    })
                    .hasMessageContainingAll("order#o-1", "version 7", "OrderRefunded", "unknown event type");
        }

        @Test
        void a_schema_version_newer_than_v1_is_refused() {
            assertThatThrownBy(() -> Orders.EVENTS.decode(recorded("OrderShipped", 2, "{}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContainingAll("order#o-1", "version 7", "OrderShipped", "newer");
        }

        static Stream<Arguments> undecodablePayloads() {
            return Stream.of(
                    argumentSet("not JSON", "OrderPaid", "{"),
                    argumentSet("not an object", "OrderPaid", "[]"),
                    argumentSet("unknown field", "OrderShipped", "{\"carrier\": \"DHL\"}"),
                    argumentSet("missing field", "OrderPaid", "{}"),
                    argumentSet("missing nullable field", "OrderCancelled", "{\"reason\": \"out of stock\"}"),
                    argumentSet("unknown currency", "OrderPaid", "{\"amount\": {\"minorUnits\": 1, \"currency\": \"XXQ\"}}"),
                    argumentSet("negative money", "OrderPaid", "{\"amount\": {\"minorUnits\": -1, \"currency\": \"EUR\"}}"),
                    argumentSet("a line no order can have", "OrderPlaced", """
                            {"customerId": "c-1", "accountId": "a-1", "total": %s,
                             "lines": [{"sku": "book-1", "quantity": 0, "unitPrice": {"minorUnits": 1250, "currency": "EUR"}}]}"""
                            .formatted(TOTAL_JSON)));
        }

        @ParameterizedTest
        @MethodSource("undecodablePayloads")
        void an_undecodable_payload_names_the_stream_version_and_type(String type, String payload) {
            assertThatThrownBy(() -> Orders.EVENTS.decode(recorded(type, 1, payload)))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.streamId()).isEqualTo(ORDER);
                        assertThat(e.version()).isEqualTo(7);
                        assertThat(e.type()).isEqualTo(type);
                    })
                    .hasMessageContainingAll("order#o-1", "version 7", type);
        }

        @Test
        void an_encoded_event_decodes_to_itself() {
            OrderPlaced placed = new OrderPlaced("c-1", "a-1", List.of(BOOKS, new OrderLine("pen", 1, Money.of(99, "EUR"))),
                    Money.of(2_599, "EUR"));

            assertThat(Orders.EVENTS.decode(recorded(Orders.EVENTS.encode(placed)))).isEqualTo(placed);
        }
    }

    @Nested
    class Snapshots {

        final StateCodec<OrderState> codec = Orders.TYPE.state();

        @Test
        void are_at_state_schema_v1() {
            assertThat(codec.schemaVersion()).isEqualTo(1);
        }

        @Test
        void tag_the_state_with_its_status() throws JsonProcessingException {
            assertThat(tree(codec.encode(new OrderState.NotPlaced()))).isEqualTo(tree("{\"status\": \"NOT_PLACED\"}"));
            assertThat(tree(codec.encode(new OrderState.Paid(DETAILS, TOTAL)))).isEqualTo(tree("""
                    {"status": "PAID",
                     "order": {"customerId": "c-1", "accountId": "a-1", "lines": [%s], "total": %s},
                     "amountPaid": %s}""".formatted(BOOKS_JSON, TOTAL_JSON, TOTAL_JSON)));
        }

        static Stream<Arguments> states() {
            return Stream.of(
                    argumentSet("not placed", new OrderState.NotPlaced()),
                    argumentSet("placed", new OrderState.Placed(DETAILS)),
                    argumentSet("paid", new OrderState.Paid(DETAILS, TOTAL)),
                    argumentSet("shipped", new OrderState.Shipped(DETAILS)),
                    argumentSet("cancelled", new OrderState.Cancelled(DETAILS, "out of stock", null)),
                    argumentSet("cancelled and refunded", new OrderState.Cancelled(DETAILS, "out of stock", new Refund("a-1", TOTAL))));
        }

        @ParameterizedTest
        @MethodSource("states")
        void round_trip_every_state(OrderState state) {
            assertThat(codec.decode(codec.encode(state))).isEqualTo(state);
        }

        @Test
        void refuse_an_unknown_status() {
            assertThatThrownBy(() -> codec.decode("{\"status\": \"LOST\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("schema v1");
        }
    }

    @Test
    void the_aggregate_type_hosts_order_streams() {
        assertThat(Orders.TYPE.streamType()).isEqualTo("order").isEqualTo(Orders.STREAM_TYPE);
        assertThat(Orders.TYPE.streamId("o-1")).hasToString("order#o-1");
        assertThat(Orders.TYPE.decider()).isInstanceOf(OrderDecider.class);
        assertThat(Orders.TYPE.events()).isSameAs(Orders.EVENTS);
    }
}
