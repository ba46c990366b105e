package dev.factline.functions.command;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.http.HttpApiEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A {@link CommandFunction} over an in-memory store that counts appends, with a fixed clock,
 * predictable ids, no backoff pauses, and its log lines kept for inspection.
 */
final class FunctionUnderTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryEventStore events = new InMemoryEventStore();
    final CountingEventStore store;
    final List<String> log = new CopyOnWriteArrayList<>();
    final CommandFunction function;
    private final AtomicLong ids = new AtomicLong();

    FunctionUnderTest() {
        this(UnaryOperator.identity());
    }

    /** With the counting store wrapped by {@code around} (to inject a failure, say). */
    FunctionUnderTest(UnaryOperator<EventStore> around) {
        this.store = new CountingEventStore(events);
        this.function = newFunction(around.apply(store));
    }

    /** Another container on the same store: same table, empty memory. */
    CommandFunction coldContainer() {
        return newFunction(store);
    }

    APIGatewayV2HTTPResponse send(HttpApiEvents.Request request) {
        return function.handleRequest(request.event(), null);
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CommandFunction newFunction(EventStore target) {
        IdGenerator predictable = () -> new UUID(0xFAC7_11E0L, ids.incrementAndGet());
        return new CommandFunction(target, InstantSource.fixed(NOW), predictable,
                WritePolicy.defaults().withBackoff(RetryBackoff.none()), new RequestLog(log::add));
    }
}
