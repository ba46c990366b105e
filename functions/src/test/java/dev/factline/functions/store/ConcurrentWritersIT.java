package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.MoneyDeposited;
import dev.factline.account.MoneyWithdrawn;
import dev.factline.account.OpenAccount;
import dev.factline.account.WithdrawMoney;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.VersionConflictException;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.money.Money;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Sixteen containers (each its own handler, so its own memory) race on one account in DynamoDB:
 * whatever each was told, the stream must be gap-free, hold every accepted command and never
 * overdraw.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrentWritersIT {

    private static final int WRITERS = 16;
    private static final int COMMANDS_EACH = 50;

    @Test
    void sixteen_containers_racing_on_one_account_lose_nothing_and_never_overdraw() throws Exception {
        EventTable table = new EventTable("race-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table.createTableRequest());
        DynamoDbEventStore store = new DynamoDbEventStore(LocalDynamo.shared().client(), table, StoreLimits.defaults(), Clock.systemUTC());
        StreamId account = Accounts.TYPE.streamId("a-race");
        container(store).handle(CommandRequest.of(account, new OpenAccount("c-1", Currency.getInstance("EUR")), metadata()));

        ConcurrentLinkedQueue<CommandResult> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger conflicted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long seed = w;
            writers.add(pool.submit(() -> {
                var handler = container(store);
                Random random = new Random(seed);
                start.await();
                for (int i = 0; i < COMMANDS_EACH; i++) {
                    Money amount = Money.of(1 + random.nextInt(100), "EUR");
                    AccountCommand command = random.nextInt(3) == 0 ? new DepositMoney(amount, null) : new WithdrawMoney(amount);
                    try {
                        accepted.add(handler.handle(CommandRequest.of(account, command, metadata())));
                    } catch (DomainRuleViolationException overdraft) {
                        refused.incrementAndGet();
                    } catch (VersionConflictException outraced) {
                        conflicted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();

        List<RecordedEvent> stream = store.load(account);
        assertThat(accepted.size() + refused.get() + conflicted.get()).isEqualTo(WRITERS * COMMANDS_EACH);
        assertThat(stream).extracting(RecordedEvent::version)
                .as("versions 1..N without gaps").containsExactlyElementsOf(versions(1 + accepted.size()));
        assertThat(stream).extracting(RecordedEvent::eventId)
                .as("every accepted command's event is in the stream")
                .containsAll(accepted.stream().flatMap(result -> result.events().stream()).map(RecordedEvent::eventId).toList());
        long balance = 0;
        long expected = 0;
        for (RecordedEvent recorded : stream) {
            AccountEvent event = Accounts.TYPE.events().decode(recorded);
            if (event instanceof MoneyDeposited deposited) {
                balance += deposited.amount().minorUnits();
            } else if (event instanceof MoneyWithdrawn withdrawn) {
                balance -= withdrawn.amount().minorUnits();
            }
            assertThat(balance).as("balance after version %d", recorded.version()).isNotNegative();
        }
        for (CommandResult result : accepted) {
            AccountEvent event = Accounts.TYPE.events().decode(result.events().getFirst());
            expected += event instanceof MoneyDeposited deposited ? deposited.amount().minorUnits()
                    : -((MoneyWithdrawn) event).amount().minorUnits();
        }
        assertThat(balance).isEqualTo(expected);
        System.out.printf("concurrent writers: %d commands, %d accepted, %d refused (overdraft), %d gave up after %d attempts; final balance %d%n",
                WRITERS * COMMANDS_EACH, accepted.size(), refused.get(), conflicted.get(), WritePolicy.DEFAULT_MAX_ATTEMPTS, balance);
    }

    private static CommandHandler<AccountCommand, AccountEvent, AccountState> container(DynamoDbEventStore store) {
        return new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("req-" + UUID.randomUUID());
    }

    private static List<Long> versions(long last) {
        List<Long> versions = new ArrayList<>();
        for (long v = 1; v <= last; v++) {
            versions.add(v);
        }
        return versions;
    }
}
