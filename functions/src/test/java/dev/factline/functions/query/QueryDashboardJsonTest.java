package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.http.HttpJson;
import dev.factline.order.OrderStatus;
import dev.factline.order.OrderTally;
import java.util.Currency;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryDashboardJsonTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency USD = Currency.getInstance("USD");

    @Test
    void every_status_is_present_with_zeros_and_currencies_in_code_order() {
        OrderTally tally = new OrderTally.Builder()
                .add(OrderStatus.PAID, 2, USD, 300)
                .add(OrderStatus.PAID, 1, EUR, 1200)
                .build();

        assertThat(HttpJson.write(DashboardReads.json(tally))).isEqualTo("{\"statuses\":{"
                + "\"PLACED\":{\"orders\":0,\"totals\":{}},"
                + "\"PAID\":{\"orders\":3,\"totals\":{\"EUR\":1200,\"USD\":300}},"
                + "\"SHIPPED\":{\"orders\":0,\"totals\":{}},"
                + "\"CANCELLED\":{\"orders\":0,\"totals\":{}}}}");
    }

    @Test
    void the_empty_dashboard_is_all_zeros() {
        assertThat(HttpJson.write(DashboardReads.json(OrderTally.EMPTY))).isEqualTo("{\"statuses\":{"
                + "\"PLACED\":{\"orders\":0,\"totals\":{}},\"PAID\":{\"orders\":0,\"totals\":{}},"
                + "\"SHIPPED\":{\"orders\":0,\"totals\":{}},\"CANCELLED\":{\"orders\":0,\"totals\":{}}}}");
    }
}
