package dev.factline.order;

import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.personal.SealedText;
import java.util.Currency;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What can be asked of an order. Constructors refuse malformed input with an
 * {@link IllegalArgumentException} naming the field; whether the order's state allows the
 * command is {@link OrderDecider}'s to say.
 */
public sealed interface OrderCommand {

    /**
     * Places an order of 1-100 lines, all priced in the order's currency, to be paid from
     * {@code accountId}, delivered to {@code deliveryAddress} if given (1-500 characters).
     */
    record PlaceOrder(String customerId, String accountId, Currency currency, List<OrderLine> lines, @Nullable String deliveryAddress)
            implements OrderCommand {

        public static final int MAX_LINES = 100;
        public static final int MAX_ADDRESS_LENGTH = 500;

        /** An order without a delivery address. */
        public PlaceOrder(String customerId, String accountId, Currency currency, List<OrderLine> lines) {
            this(customerId, accountId, currency, lines, null);
        }

        public PlaceOrder {
            if (deliveryAddress != null && (deliveryAddress.isBlank() || deliveryAddress.length() > MAX_ADDRESS_LENGTH)) {
                throw new IllegalArgumentException("deliveryAddress must be absent or 1-" + MAX_ADDRESS_LENGTH
                        + " characters that are not all blank, but was " + deliveryAddress.length() + " characters");
            }
            if (deliveryAddress != null) {
                SealedText.requireNotSealed("deliveryAddress", deliveryAddress);
            }
            StreamId.requireId("customerId", customerId);
            StreamId.requireId("accountId", accountId);
            if (currency == null) {
                throw new IllegalArgumentException("currency is required");
            }
            if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
                throw new IllegalArgumentException("lines must hold 1-" + MAX_LINES + " lines, but held "
                        + (lines == null ? "none" : lines.size()));
            }
            for (int i = 0; i < lines.size(); i++) {
                OrderLine line = lines.get(i);
                if (line == null) {
                    throw new IllegalArgumentException("lines[" + i + "] is missing");
                }
                if (!line.unitPrice().hasCurrency(currency)) {
                    throw new IllegalArgumentException("lines[" + i + "].unitPrice is in " + line.unitPrice().currency()
                            + ", but the order is in " + currency);
                }
            }
            lines = List.copyOf(lines);
        }
    }

    /** Records the payment of the order's total; the order-payment saga sends it once the account is debited. */
    record MarkOrderPaid(Money amount) implements OrderCommand {

        public MarkOrderPaid {
            if (amount == null || !amount.isPositive()) {
                throw new IllegalArgumentException("amount must be positive, but was " + amount);
            }
        }
    }

    /** Ships a paid order. */
    record ShipOrder() implements OrderCommand {
    }

    /** Cancels an order that has not shipped; a paid one is refunded. */
    record CancelOrder(String reason) implements OrderCommand {

        public static final int MAX_REASON_LENGTH = 200;

        public CancelOrder {
            if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
                throw new IllegalArgumentException("reason must be 1-" + MAX_REASON_LENGTH + " characters and not blank, but was "
                        + (reason == null ? "null" : "'" + reason + "'"));
            }
            SealedText.requireNotSealed("reason", reason);
        }
    }
}
