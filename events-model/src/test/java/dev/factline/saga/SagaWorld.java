package dev.factline.saga;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.ProcessOutcome;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderState;
import dev.factline.order.Orders;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts, orders and the saga on an in-memory store. Every event any command records (the
 * customer's or the saga's) joins {@link #pending}, the saga's inbox; a test delivers from it in
 * any order, as often as it likes, as a stream trigger could.
 */
final class SagaWorld {

    static final Currency EUR = Currency.getInstance("EUR");

    final InMemoryEventStore store = new InMemoryEventStore();
    private final AtomicLong ids = new AtomicLong();
    final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts;
    final CommandHandler<OrderCommand, OrderEvent, OrderState> orders;
    final OrderPaymentSagaRunner saga;
    final List<RecordedEvent> pending = new ArrayList<>();
    final List<ProcessOutcome> outcomes = new ArrayList<>();

    SagaWorld() {
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-03-04T05:06:07Z"));
        accounts = new CommandHandler<>(Accounts.TYPE, store, clock, () -> new UUID(1, ids.incrementAndGet()), WritePolicy.defaults());
        orders = new CommandHandler<>(Orders.TYPE, store, clock, () -> new UUID(2, ids.incrementAndGet()), WritePolicy.defaults());
        saga = new OrderPaymentSagaRunner(accounts, orders);
    }

    static StreamId account(String id) {
        return Accounts.TYPE.streamId(id);
    }

    static StreamId order(String id) {
        return Orders.TYPE.streamId(id);
    }

    Optional<CommandResult> account(String id, AccountCommand command) {
        return record(() -> accounts.handle(CommandRequest.of(account(id), command, metadata())));
    }

    Optional<CommandResult> order(String id, OrderCommand command) {
        return record(() -> orders.handle(CommandRequest.of(order(id), command, metadata())));
    }

    void open(String accountId) {
        account(accountId, new OpenAccount("c-" + accountId, EUR));
    }

    void deposit(String accountId, long minorUnits) {
        account(accountId, new DepositMoney(Money.of(minorUnits, "EUR"), null));
    }

    void place(String orderId, String accountId, long total) {
        order(orderId, new PlaceOrder("c-" + accountId, accountId, EUR, List.of(new OrderLine("sku-1", 1, Money.of(total, "EUR")))));
    }

    void cancelByCustomer(String orderId) {
        order(orderId, new CancelOrder("changed my mind"));
    }

    /** Delivers {@code event} to the saga; what its commands record joins the inbox. */
    List<ProcessOutcome> deliver(RecordedEvent event) {
        List<ProcessOutcome> handled = saga.handle(event);
        for (ProcessOutcome outcome : handled) {
            if (outcome instanceof ProcessOutcome.Issued issued && !issued.result().replayed()) {
                pending.addAll(issued.result().events());
            }
        }
        outcomes.addAll(handled);
        return handled;
    }

    /** Delivers the inbox, oldest first, until the saga has nothing left to do. */
    void settle() {
        while (!pending.isEmpty()) {
            deliver(pending.removeFirst());
        }
    }

    Money balance(String accountId) {
        return switch (accounts.repository().load(account(accountId)).state()) {
            case AccountState.Open open -> open.balance();
            case AccountState.Closed closed -> closed.balance();
            case AccountState.Unopened unopened -> Money.zero(EUR);
        };
    }

    OrderState orderState(String orderId) {
        return orders.repository().load(order(orderId)).state();
    }

    /** Every event of the stream, decoded, in order. */
    List<AccountEvent> accountEvents(String accountId) {
        return store.load(account(accountId)).stream().map(Accounts.codec()::decode).toList();
    }

    private Optional<CommandResult> record(java.util.function.Supplier<CommandResult> command) {
        try {
            CommandResult result = command.get();
            pending.addAll(result.events());
            return Optional.of(result);
        } catch (DomainRuleViolationException refused) {
            return Optional.empty();
        }
    }

    private EventMetadata metadata() {
        return EventMetadata.forCommand("cmd-" + ids.incrementAndGet());
    }
}
