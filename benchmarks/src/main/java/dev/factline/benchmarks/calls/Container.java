package dev.factline.benchmarks.calls;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.money.Money;
import java.time.Clock;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One Lambda container's way to run account commands, so every scenario runs the same on both
 * paths: the kernel's {@link CommandHandler} as the command function builds it, or the
 * {@link CommandFunction} itself, answering HTTP API events. Public for the projector section,
 * which writes its streams through the kernel's path the same way.
 */
public sealed interface Container {

    /** Builds a fresh container (nothing remembered) writing through {@code store} with {@code policy}. */
    @FunctionalInterface
    interface Factory {
        Container fresh(EventStore store, WritePolicy policy);
    }

    Factory KERNEL = Kernel::new;
    Factory HTTP = Http::new;

    void open(String accountId);

    /** Deposits 1 EUR; a repeat with the same key is the same request, so it is answered as a repeat. */
    void deposit(String accountId, @Nullable String idempotencyKey);

    record Kernel(CommandHandler<AccountCommand, AccountEvent, AccountState> handler) implements Container {

        Kernel(EventStore store, WritePolicy policy) {
            this(new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random(), policy));
        }

        @Override
        public void open(String accountId) {
            handler.handle(CommandRequest.of(Accounts.TYPE.streamId(accountId),
                    new OpenAccount("owner-1", Currency.getInstance("EUR")), metadata()));
        }

        @Override
        public void deposit(String accountId, @Nullable String idempotencyKey) {
            CommandRequest<DepositMoney> request = CommandRequest.of(Accounts.TYPE.streamId(accountId),
                    new DepositMoney(Money.of(100, "EUR"), null), metadata());
            handler.handle(idempotencyKey == null ? request
                    : request.withIdempotency(new Idempotency(new IdempotencyKey(idempotencyKey), "deposit of 1 EUR")));
        }

        private static EventMetadata metadata() {
            return EventMetadata.forCommand("cmd-" + UUID.randomUUID());
        }
    }

    record Http(CommandFunction function) implements Container {

        Http(EventStore store, WritePolicy policy) {
            this(new CommandFunction(store, Clock.systemUTC(), IdGenerator.random(), policy));
        }

        @Override
        public void open(String accountId) {
            post("/accounts", """
                    {"accountId": "%s", "ownerId": "owner-1", "currency": "EUR"}""".formatted(accountId), null);
        }

        @Override
        public void deposit(String accountId, @Nullable String idempotencyKey) {
            post("/accounts/" + accountId + "/deposits", "{\"amount\": {\"minorUnits\": 100, \"currency\": \"EUR\"}}", idempotencyKey);
        }

        private void post(String path, String json, @Nullable String idempotencyKey) {
            APIGatewayV2HTTPResponse response = function.handleRequest(postEvent(path, json, idempotencyKey), null);
            if (response.getStatusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " was answered " + response.getStatusCode() + ": " + response.getBody());
            }
        }

        /** A JSON POST as API Gateway hands it over (payload format 2.0, header names lower-cased). */
        static APIGatewayV2HTTPEvent postEvent(String path, String json, @Nullable String idempotencyKey) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("content-type", "application/json");
            if (idempotencyKey != null) {
                headers.put("idempotency-key", idempotencyKey);
            }
            return APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0")
                    .withRouteKey("$default")
                    .withRawPath(path)
                    .withHeaders(headers)
                    .withBody(json)
                    .withIsBase64Encoded(false)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withRequestId("req-" + UUID.randomUUID())
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                            .build())
                    .build();
        }
    }
}
