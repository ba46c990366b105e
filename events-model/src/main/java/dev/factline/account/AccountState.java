package dev.factline.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.util.Collections;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An account as its events leave it: not yet opened, open, or closed. Immutable; changes are
 * copies. Snapshots store it as JSON tagged with {@code "status"}; change its shape or meaning
 * only together with {@link Accounts#STATE_SCHEMA_VERSION}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AccountState.Unopened.class, name = "unopened"),
    @JsonSubTypes.Type(value = AccountState.Open.class, name = "open"),
    @JsonSubTypes.Type(value = AccountState.Closed.class, name = "closed")
})
public sealed interface AccountState {

    /** The state of a stream with no events. */
    static AccountState initial() {
        return new Unopened();
    }

    /** No account yet: only {@link OpenAccount} is accepted. */
    record Unopened() implements AccountState {
    }

    /** An open account with its balance (in its currency) and the orders it has paid for. */
    record Open(
            String ownerId,
            Currency currency,
            Money balance,
            OrderLedger orders) implements AccountState {

        public Open {
            Fields.required("ownerId", ownerId);
            Fields.required("currency", currency);
            Fields.required("balance", balance);
            Fields.required("orders", orders);
            if (!balance.hasCurrency(currency)) {
                throw new IllegalArgumentException("balance must be in the account's " + currency + ", but was " + balance);
            }
        }

        /** A newly opened, empty account. */
        public static Open opened(String ownerId, Currency currency) {
            return new Open(ownerId, currency, Money.zero(currency), OrderLedger.EMPTY);
        }

        public Open withBalance(Money newBalance) {
            return new Open(ownerId, currency, newBalance, orders);
        }

        public Open withOrders(OrderLedger newOrders) {
            return new Open(ownerId, currency, balance, newOrders);
        }

        /** @throws ArithmeticException if the balance would overflow; {@code decide} refuses that first */
        public Open credited(Money amount) {
            return withBalance(balance.plus(amount));
        }

        /** @throws IllegalArgumentException if the balance would go negative; {@code decide} prevents that */
        public Open debited(Money amount) {
            return withBalance(balance.minus(amount));
        }

        public Closed closed() {
            return new Closed(ownerId, currency, orders);
        }
    }

    /**
     * A closed account: it held nothing when it closed and takes no money any more. It keeps its
     * order ledger, so a late debit or refund for an order is still answered truthfully.
     */
    record Closed(String ownerId, Currency currency, OrderLedger orders) implements AccountState {

        public Closed {
            Fields.required("ownerId", ownerId);
            Fields.required("currency", currency);
            Fields.required("orders", orders);
        }

        /** Always zero: only an empty account closes. */
        public Money balance() {
            return Money.zero(currency);
        }
    }

    /**
     * What the account paid for each order, by order id, and what it refunded of that, so an order
     * is never debited twice nor refunded twice. Kept sorted by order id, so the same state is
     * always the same snapshot JSON.
     */
    record OrderLedger(Map<String, OrderPayment> payments) {

        public static final OrderLedger EMPTY = new OrderLedger(Map.of());

        public OrderLedger {
            Map<String, OrderPayment> sorted = new TreeMap<>();
            Fields.required("payments", payments).forEach((orderId, payment) -> sorted.put(
                    StreamId.requireId("payments order id", orderId), Fields.required("payments[" + orderId + "]", payment)));
            payments = Collections.unmodifiableMap(sorted);
        }

        /** The payment for {@code orderId}, if the account was debited for it. */
        public Optional<OrderPayment> paymentFor(String orderId) {
            return Optional.ofNullable(payments.get(orderId));
        }

        public OrderLedger withDebit(String orderId, Money amount) {
            return with(orderId, new OrderPayment(amount, null));
        }

        /** @throws IllegalArgumentException if the order was not debited; {@code decide} prevents that */
        public OrderLedger withRefund(String orderId, Money amount) {
            OrderPayment payment = paymentFor(orderId).orElseThrow(
                    () -> new IllegalArgumentException("order " + orderId + " cannot be refunded: it was never debited"));
            return with(orderId, payment.withRefund(amount));
        }

        private OrderLedger with(String orderId, OrderPayment payment) {
            Map<String, OrderPayment> next = new TreeMap<>(payments);
            next.put(orderId, payment);
            return new OrderLedger(next);
        }
    }

    /** One order's payment: what was debited for it and, once it is refunded, how much came back. */
    record OrderPayment(
            Money debited,
            @Nullable Money refunded) {

        public OrderPayment {
            Fields.required("debited", debited);
            if (refunded != null && (!refunded.hasCurrency(debited.currency()) || debited.isLessThan(refunded))) {
                throw new IllegalArgumentException("an order debited " + debited + " cannot have been refunded " + refunded);
            }
        }

        public OrderPayment withRefund(Money amount) {
            return new OrderPayment(debited, amount);
        }
    }
}
