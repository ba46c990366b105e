package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.VersionConflictException;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.money.Money;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Interleavings the store must survive, forced step by step with SDK interceptors on a real
 * server: a retry landing on a container with a stale memory while the original is between its
 * claim and its commit, and a put whose response is lost.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DynamoDbEventStoreRacesIT {

    private static final WritePolicy POLICY = WritePolicy.defaults().withBackoff(RetryBackoff.none());

    private final EventTable table = new EventTable("races-" + UUID.randomUUID());
    private final StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());

    @Test
    void a_retry_on_a_container_with_a_stale_memory_never_commits_a_key_twice() throws Exception {
        LocalDynamo.shared().createTable(table);
        CountDownLatch originalAboutToCommit = new CountDownLatch(1);
        CountDownLatch releaseOriginal = new CountDownLatch(1);
        CountDownLatch originalCommitted = new CountDownLatch(1);
        AtomicBoolean holdOriginal = new AtomicBoolean();
        AtomicBoolean holdRetry = new AtomicBoolean();
        CommandHandler<AccountCommand, AccountEvent, AccountState> original = container(interceptedBy(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (isCommitPut(context.request()) && holdOriginal.getAndSet(false)) {
                    originalAboutToCommit.countDown();
                    await(releaseOriginal);
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (isCommitPut(context.request())) {
                    originalCommitted.countDown();
                }
            }
        }));
        CommandHandler<AccountCommand, AccountEvent, AccountState> staleRetry = container(interceptedBy(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                // The retry's first query comes after its commit at the stale version lost: let the original land now.
                if (context.request() instanceof QueryRequest && holdRetry.getAndSet(false)) {
                    releaseOriginal.countDown();
                    await(originalCommitted);
                }
            }
        }));
        CommandHandler<AccountCommand, AccountEvent, AccountState> other = container(LocalDynamo.shared().client());
        staleRetry.handle(CommandRequest.of(account, new OpenAccount("c-1", Currency.getInstance("EUR")), metadata()));
        other.handle(deposit(null));
        other.handle(deposit(null));
        Idempotency key = new Idempotency(new IdempotencyKey("key-" + UUID.randomUUID()), "the same request");

        holdOriginal.set(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<CommandResult> first = pool.submit(() -> original.handle(deposit(key)));
        originalAboutToCommit.await(10, TimeUnit.SECONDS);
        holdRetry.set(true);
        CommandResult retry = staleRetry.handle(deposit(key));
        CommandResult originalAnswer = first.get(10, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(deposits()).as("two unkeyed deposits and the keyed one, once").isEqualTo(3);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.commit()).isEqualTo(originalAnswer.commit());
    }

    @Test
    void a_commit_whose_response_is_lost_is_not_applied_twice() {
        LocalDynamo.shared().createTable(table);
        AtomicInteger responsesToLose = new AtomicInteger();
        CallCounter calls = new CallCounter();
        CommandHandler<AccountCommand, AccountEvent, AccountState> flaky = container(interceptedBy(calls, new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (isCommitPut(context.request()) && context.httpResponse().statusCode() == 200 && responsesToLose.getAndDecrement() > 0) {
                    throw SdkClientException.create("connection reset while reading the response", new IOException("Connection reset"));
                }
            }
        }));
        flaky.handle(CommandRequest.of(account, new OpenAccount("c-1", Currency.getInstance("EUR")), metadata()));
        responsesToLose.set(1);
        calls.reset();

        CommandResult result = flaky.handle(deposit(null));

        assertThat(deposits()).isEqualTo(1);
        assertThat(result.conflicts()).isZero();
        assertThat(result.streamVersion()).isEqualTo(2);
        assertThat(calls.calls()).as("one PutItem call, its SDK retry refused with our own commit, told from the refusal alone")
                .isEqualTo(Map.of("PutItem", 1));
    }

    @Test
    void a_claim_left_by_an_attempt_that_died_before_its_commit_is_taken_over_by_the_retry() {
        LocalDynamo.shared().createTable(table);
        AtomicBoolean dieBeforeCommit = new AtomicBoolean();
        CommandHandler<AccountCommand, AccountEvent, AccountState> dying = container(interceptedBy(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (isCommitPut(context.request()) && dieBeforeCommit.getAndSet(false)) {
                    throw SdkClientException.create("the container was frozen between its claim and its commit");
                }
            }
        }));
        dying.handle(CommandRequest.of(account, new OpenAccount("c-1", Currency.getInstance("EUR")), metadata()));
        Idempotency key = new Idempotency(new IdempotencyKey("key-" + UUID.randomUUID()), "the same request");
        dieBeforeCommit.set(true);
        assertThatThrownBy(() -> dying.handle(deposit(key))).isInstanceOf(EventStoreUnavailableException.class);

        CommandResult retry = container(LocalDynamo.shared().client()).handle(deposit(key));

        assertThat(retry.replayed()).isFalse();
        assertThat(deposits()).isEqualTo(1);
        assertThat(container(LocalDynamo.shared().client()).handle(deposit(key)).replayed()).isTrue();
        assertThat(deposits()).isEqualTo(1);
    }

    @Test
    void a_decision_of_nothing_does_not_take_over_a_claim_whose_commit_is_on_its_way() {
        LocalDynamo.shared().createTable(table);
        StreamId stream = StreamId.of("tally", "t-" + UUID.randomUUID());
        Idempotency key = new Idempotency(new IdempotencyKey("key-" + UUID.randomUUID()), "the same request");
        DynamoDbEventStore plain = new DynamoDbEventStore(LocalDynamo.shared().client(), table, StoreLimits.defaults(), Clock.systemUTC());
        AtomicReference<Throwable> secondAttempt = new AtomicReference<>();
        AtomicBoolean interleave = new AtomicBoolean(true);
        DynamoDbEventStore first = new DynamoDbEventStore(interceptedBy(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                // Just before the first attempt's commit: the same request, deciding nothing this time.
                if (isCommitPut(context.request()) && interleave.getAndSet(false)) {
                    secondAttempt.set(catchThrowable(() -> plain.append(stream, 0, List.of(), key)));
                }
            }
        }), table, StoreLimits.defaults(), Clock.systemUTC());
        NewEvent added = new NewEvent(UUID.randomUUID(), "Added", 1, Instant.EPOCH, "{\"amount\":1}", EventMetadata.forCommand("c-1"));

        AppendResult result = first.append(stream, 0, List.of(added), key);

        assertThat(result).isInstanceOf(AppendResult.Appended.class);
        assertThat(secondAttempt.get()).as("the live claim is waited out, not taken over").isInstanceOf(VersionConflictException.class);
        assertThat(plain.findIdempotencyRecord(key.key())).hasValueSatisfying(record -> assertThat(record.commit()).isEqualTo(result.commit()));
    }

    private long deposits() {
        DynamoDbEventStore reader = new DynamoDbEventStore(LocalDynamo.shared().client(), table, StoreLimits.defaults(), Clock.systemUTC());
        return reader.load(account).stream().map(RecordedEvent::type).filter("MoneyDeposited"::equals).count();
    }

    private CommandHandler<AccountCommand, AccountEvent, AccountState> container(DynamoDbClient client) {
        return new CommandHandler<>(Accounts.TYPE, new DynamoDbEventStore(client, table, StoreLimits.defaults(), Clock.systemUTC()),
                Clock.systemUTC(), IdGenerator.random(), POLICY);
    }

    private static DynamoDbClient interceptedBy(ExecutionInterceptor... interceptors) {
        return LocalDynamo.shared().clientBuilder()
                .overrideConfiguration(configuration -> configuration.executionInterceptors(List.of(interceptors)))
                .build();
    }

    private CommandRequest<DepositMoney> deposit(@Nullable Idempotency key) {
        CommandRequest<DepositMoney> request = CommandRequest.of(account, new DepositMoney(Money.of(100, "EUR"), null), metadata());
        return key == null ? request : request.withIdempotency(key);
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("req-" + UUID.randomUUID());
    }

    private static boolean isCommitPut(SdkRequest request) {
        return request instanceof PutItemRequest put && EventTable.COMMIT.equals(put.item().get(EventTable.KIND).s());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the interleaving did not happen within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
