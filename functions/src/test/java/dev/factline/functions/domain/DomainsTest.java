package dev.factline.functions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.catalogue.ProductView;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.ReadModel;
import dev.factline.eventsourcing.Warnings;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandRoute;
import dev.factline.functions.domains.accounts.AccountDomain;
import dev.factline.functions.domains.orders.OrderDomain;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderView;
import java.time.Clock;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DomainsTest {

    private static final CommandRoute UNUSED = CommandRoute.withBody(input -> {
        throw new AssertionError("not parsed here");
    });

    @Test
    void the_hosted_domains_declare_every_route_once_with_their_histories_and_read_models() {
        Domains domains = HostedDomains.STANDARD;

        assertThat(domains.commandRoutes()).extracting(Declarations.CommandPath::path).containsExactly(
                "/accounts", "/accounts/{id}/deposits", "/accounts/{id}/withdrawals",
                "/orders", "/orders/{id}/payment", "/orders/{id}/shipment", "/orders/{id}/cancellation",
                "/products", "/products/{id}/description", "/products/{id}/stock", "/products/{id}/reservations", "/products/{id}/releases");
        assertThat(domains.readRoutes()).extracting(Declarations.ReadPath::path).containsExactly(
                "/accounts/{id}/events", "/accounts/{id}", "/accounts/{id}/statement",
                "/orders/{id}/events", "/orders/{id}", "/customers/{id}/orders", "/dashboard",
                "/products/{id}/events", "/products/{id}",
                "/subjects/{id}/events", Domains.STREAMS_PATH);
        assertThat(domains.readModels().all()).contains(AccountView.MODEL, OrderView.MODEL, OrderDashboard.TALLY, ProductView.MODEL);
        assertThat(domains.readModels().all()).extracting(ReadModel::name).contains("account-streams", "order-streams", "product-streams");
        assertThat(domains.readModels().all()).doesNotHaveDuplicates();
        assertThat(domains.reactions()).hasSize(1);
    }

    @Test
    void a_listing_of_a_model_already_served_hosts_it_once() {
        Domains domains = Domains.of(declare -> declare.view("/orders/{id}", OrderView.MODEL)
                .listing("/customers/{id}/orders", OrderView.MODEL, "customerId", "orders"));

        assertThat(domains.readModels().all()).containsExactly(OrderView.MODEL);
    }

    @Test
    void two_domains_that_claim_one_stream_type_are_refused_naming_it() {
        assertThatThrownBy(() -> Domains.of(new AccountDomain(), declare -> declare.aggregate("/wallets", Accounts.TYPE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream type account is declared twice");
    }

    @Test
    void two_domains_that_claim_one_command_route_are_refused_naming_it() {
        assertThatThrownBy(() -> Domains.of(new AccountDomain(), declare -> declare.command("/accounts/{id}/deposits", UNUSED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route POST /accounts/{id}/deposits is declared twice");
    }

    @Test
    void a_tally_whose_source_no_domain_hosts_is_refused() {
        assertThatThrownBy(() -> Domains.of(declare -> declare.tally("/dashboard", OrderDashboard.TALLY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("which is not registered");
    }

    @Test
    void the_order_domain_alone_cannot_run_its_saga_without_accounts() {
        Domains ordersOnly = Domains.of(new OrderDomain());
        CommandHandlers handlers = CommandHandlers.of(ordersOnly, new InMemoryEventStore(), Clock.systemUTC(),
                IdGenerator.random(), WritePolicy.defaults(), Warnings.standardError());

        assertThatThrownBy(() -> ordersOnly.reactions().getFirst().build(handlers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no aggregate of stream type account is registered");
    }
}
