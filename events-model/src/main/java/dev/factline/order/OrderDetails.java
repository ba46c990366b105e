package dev.factline.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.factline.money.Money;
import java.util.List;
import java.util.Objects;

/** What an order was placed with; it does not change after {@code OrderPlaced}. */
public record OrderDetails(String customerId, String accountId, List<OrderLine> lines, @JsonIgnoreProperties({"zero", "positive"}) Money total) {

    public OrderDetails {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(accountId, "accountId");
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        Objects.requireNonNull(total, "total");
    }
}
