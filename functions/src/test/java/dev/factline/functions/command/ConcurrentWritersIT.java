package dev.factline.functions.command;

import static dev.factline.functions.command.FunctionUnderTest.json;
import static dev.factline.functions.command.LocalDeployment.send;
import static dev.factline.functions.http.HttpApiEvents.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.account.AccountEvent;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.account.MoneyWithdrawn;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Sixteen containers (each a {@link CommandFunction} of its own, so its own memory) race on one
 * account in DynamoDB, each sending fifty deposits and withdrawals as HTTP API events: whatever
 * each was answered, the stream must be gap-free, hold every accepted command's event and never
 * overdraw. What was accepted is read from the {@code 200} answers alone, as a client knows it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrentWritersIT {

    private static final int WRITERS = 16;
    private static final int COMMANDS_EACH = 50;
    private static final String PROBLEMS = "https://factline.dev/problems/";
    private static final String ACCOUNT_ID = "a-race";

    /** What a writer sent, and the {@code 200} it was answered with. */
    private record Accepted(String eventType, long minorUnits, APIGatewayV2HTTPResponse response) {

        JsonNode event() {
            return json(response).get("events").get(0);
        }
    }

    @Test
    void sixteen_containers_racing_on_one_account_through_the_function_lose_nothing_and_never_overdraw() throws Exception {
        LocalDeployment deployment = LocalDeployment.withNewTable("race");
        StreamId account = StreamId.of("account", ACCOUNT_ID);
        APIGatewayV2HTTPResponse opened = send(deployment.newContainer(), post("/accounts").json("""
                {"accountId": "%s", "ownerId": "c-1", "currency": "EUR"}""".formatted(ACCOUNT_ID)));
        assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);

        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            for (int w = 0; w < WRITERS; w++) {
                long seed = w;
                writers.add(pool.submit(() -> {
                    CommandFunction container = deployment.newContainer();
                    Random random = new Random(seed);
                    start.await();
                    for (int i = 0; i < COMMANDS_EACH; i++) {
                        long minorUnits = 1 + random.nextInt(100);
                        boolean deposit = random.nextInt(3) == 0;
                        APIGatewayV2HTTPResponse response = send(container,
                                post("/accounts/" + ACCOUNT_ID + (deposit ? "/deposits" : "/withdrawals")).json("""
                                        {"amount": {"minorUnits": %d, "currency": "EUR"}}""".formatted(minorUnits)));
                        switch (response.getStatusCode()) {
                            case 200 -> accepted.add(new Accepted(deposit ? "MoneyDeposited" : "MoneyWithdrawn", minorUnits, response));
                            case 422 -> {
                                assertThat(json(response).get("type").asText()).isEqualTo(PROBLEMS + "rules/insufficient-funds");
                                refused.incrementAndGet();
                            }
                            case 409 -> {
                                assertThat(json(response).get("type").asText()).isEqualTo(PROBLEMS + "version-conflict");
                                gaveUp.incrementAndGet();
                            }
                            default -> throw new AssertionError("unexpected answer " + response.getStatusCode() + ": " + response.getBody());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
        }

        List<RecordedEvent> stream = deployment.store().load(account);
        long lastVersion = 1 + accepted.size();
        assertThat(accepted.size() + refused.get() + gaveUp.get()).isEqualTo(WRITERS * COMMANDS_EACH);
        assertThat(stream).extracting(RecordedEvent::version)
                .as("versions 1..N without gaps").containsExactlyElementsOf(LongStream.rangeClosed(1, lastVersion).boxed().toList());
        for (Accepted answer : accepted) {
            JsonNode event = answer.event();
            assertThat(json(answer.response()).get("events")).as("events of one accepted command").hasSize(1);
            assertThat(answer.response().getHeaders()).containsEntry("ETag", "\"" + event.get("version").asLong() + "\"");
            assertThat(event.get("type").asText()).isEqualTo(answer.eventType());
            assertThat(event.at("/data/amount/minorUnits").asLong()).isEqualTo(answer.minorUnits());
        }
        assertThat(accepted).extracting(answer -> answer.event().get("version").asLong())
                .as("one accepted command per version after the opening")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, lastVersion).boxed().toList());
        Map<Long, String> answeredEventIds = accepted.stream().map(Accepted::event)
                .collect(Collectors.toMap(event -> event.get("version").asLong(), event -> event.get("eventId").asText()));
        Map<Long, String> storedEventIds = stream.stream().filter(recorded -> recorded.version() > 1)
                .collect(Collectors.toMap(RecordedEvent::version, recorded -> recorded.eventId().toString()));
        assertThat(storedEventIds).as("every accepted command's event is in the stream, at the version it was answered with")
                .isEqualTo(answeredEventIds);

        long balance = 0;
        for (RecordedEvent recorded : stream) {
            AccountEvent event = Accounts.TYPE.events().decode(recorded);
            if (event instanceof MoneyDeposited deposited) {
                balance += deposited.amount().minorUnits();
            } else if (event instanceof MoneyWithdrawn withdrawn) {
                balance -= withdrawn.amount().minorUnits();
            }
            assertThat(balance).as("balance after version %d", recorded.version()).isNotNegative();
        }
        long acceptedSum = accepted.stream()
                .mapToLong(answer -> answer.eventType().equals("MoneyDeposited") ? answer.minorUnits() : -answer.minorUnits())
                .sum();
        assertThat(balance).as("final balance = accepted deposits - accepted withdrawals").isEqualTo(acceptedSum);
        System.out.printf("concurrent writers through the command function: %d requests from %d containers, %d accepted (200),"
                        + " %d refused (422 insufficient funds), %d gave up (409 after %d attempts); final balance %d at version %d%n",
                WRITERS * COMMANDS_EACH, WRITERS, accepted.size(), refused.get(), gaveUp.get(), WritePolicy.DEFAULT_MAX_ATTEMPTS,
                balance, lastVersion);
    }
}
