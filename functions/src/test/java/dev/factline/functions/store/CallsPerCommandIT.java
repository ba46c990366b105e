package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.money.Money;
import java.time.Clock;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB calls per command, counted by an SDK interceptor on a real server: the write path's
 * cost as AWS bills it, not a timing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CallsPerCommandIT {

    private static final CallCounter COUNTER = new CallCounter();
    private static final WritePolicy POLICY = WritePolicy.defaults().withBackoff(RetryBackoff.none());
    private static DynamoDbClient counted;
    private static DynamoDbEventStore store;

    private StreamId account;

    @BeforeAll
    static void createTable() {
        EventTable table = new EventTable("calls-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);
        counted = LocalDynamo.shared().clientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(COUNTER))
                .build();
        store = new DynamoDbEventStore(counted, table, StoreLimits.defaults(), Clock.systemUTC());
    }

    @AfterAll
    static void closeClient() {
        counted.close();
    }

    @BeforeEach
    void openAccount() {
        account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
        container().handle(CommandRequest.of(account, new OpenAccount("c-1", Currency.getInstance("EUR")), metadata()));
        COUNTER.reset();
    }

    /** A fresh container: nothing remembered. */
    private static CommandHandler<AccountCommand, AccountEvent, AccountState> container() {
        return new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random(), POLICY);
    }

    private CommandRequest<DepositMoney> deposit() {
        return CommandRequest.of(account, new DepositMoney(Money.of(100, "EUR"), null), metadata());
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("req-" + UUID.randomUUID());
    }

    private static Idempotency newKey() {
        return new Idempotency(new IdempotencyKey("key-" + UUID.randomUUID()), "fingerprint");
    }

    @Test
    void a_cold_command_reads_once_and_writes_once() {
        container().handle(deposit());

        assertThat(COUNTER.calls()).isEqualTo(Map.of("Query", 1, "PutItem", 1));
    }

    @Test
    void a_warm_command_on_the_stream_it_last_wrote_only_writes() {
        var warm = container();
        warm.handle(deposit());
        COUNTER.reset();

        warm.handle(deposit());

        assertThat(COUNTER.calls()).isEqualTo(Map.of("PutItem", 1));
    }

    @Test
    void a_keyed_command_adds_the_claim_of_its_key() {
        var warm = container();
        warm.handle(deposit());
        COUNTER.reset();

        warm.handle(deposit().withIdempotency(newKey()));

        assertThat(COUNTER.calls()).isEqualTo(Map.of("PutItem", 2));
    }

    @Test
    void a_repeated_key_costs_its_refused_claim_and_one_read_of_the_original_commit_and_writes_nothing_new() {
        var warm = container();
        Idempotency key = newKey();
        CommandResult first = warm.handle(deposit().withIdempotency(key));
        COUNTER.reset();

        CommandResult repeat = warm.handle(deposit().withIdempotency(key));

        // The claim's put, refused with the claim in place (ALL_OLD); the GetItem of the commit after
        // its version, which carries the key and holds the events the answer repeats.
        assertThat(COUNTER.calls()).isEqualTo(Map.of("PutItem", 1, "GetItem", 1));
        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.events()).isEqualTo(first.events());
    }

    /** It counted a GetItem more than DynamoDB makes while the local server left the refused item out. */
    @Test
    void a_warm_container_beaten_by_another_reads_the_winning_commit_from_the_refusal_not_with_a_get_item() {
        var warm = container();
        warm.handle(deposit());
        container().handle(deposit());
        COUNTER.reset();

        warm.handle(deposit());

        // The losing put, which brings the commit that beat it (ALL_OLD: is it our own, written by
        // an SDK retry?); the reload; the winning put. The conflict's head is read only when asked.
        assertThat(COUNTER.calls()).isEqualTo(Map.of("PutItem", 2, "Query", 1));
    }

    @Test
    void a_commit_that_crosses_the_snapshot_interval_adds_one_write() {
        var warm = new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random(),
                POLICY.withSnapshots(SnapshotPolicy.every(3)));
        warm.handle(deposit());
        COUNTER.reset();

        warm.handle(deposit());

        assertThat(COUNTER.calls()).isEqualTo(Map.of("PutItem", 2));
        COUNTER.reset();
        container().handle(deposit());
        assertThat(COUNTER.calls()).as("a cold load reads the snapshot and the events after it in one query")
                .isEqualTo(Map.of("Query", 1, "PutItem", 1));
    }
}
