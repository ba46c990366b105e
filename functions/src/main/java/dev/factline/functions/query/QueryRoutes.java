package dev.factline.functions.query;

import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.RouteTable;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderView;
import dev.factline.order.Orders;
import java.util.List;

/**
 * Every query route, each answering {@code GET} and {@code HEAD}, and the reading of a request at
 * one of them, in the order a client's mistakes are reported: route (404, 405), path id,
 * query parameters and {@code Min-Version} (400), {@code If-None-Match} (400). A body sent with
 * a GET is ignored.
 *
 * <pre>
 * GET /accounts/{id}            ?minVersion= | consistent= | atVersion= | asOf=   an account's view
 * GET /accounts/{id}/statement  (the same)                                          an account's monthly statement
 * GET /orders/{id}              (the same)                                          an order's view
 * GET /customers/{id}/orders    ?after= &amp; limit=                                    a customer's orders
 * GET /dashboard                                                                    the order dashboard
 * GET /accounts/{id}/events     ?after= &amp; limit=                                    an account's history
 * GET /orders/{id}/events       ?after= &amp; limit=                                    an order's history
 * </pre>
 */
final class QueryRoutes {

    private final RouteTable<QueryRoute> table;

    QueryRoutes(ViewReads views, ListingReads listings, TallyReads tallies, HistoryReads history) {
        RouteTable.Builder<QueryRoute> routes = RouteTable.builder("resource");
        read(routes, "/accounts/{id}", views.route(AccountView.MODEL));
        read(routes, "/accounts/{id}/statement", views.route(AccountStatement.MODEL));
        read(routes, "/orders/{id}", views.route(OrderView.MODEL));
        read(routes, "/customers/{id}/orders", listings.route(OrderView.MODEL, "customerId", "orders"));
        read(routes, "/dashboard", tallies.route(OrderDashboard.TALLY));
        read(routes, "/accounts/{id}/events", history.route(Accounts.TYPE));
        read(routes, "/orders/{id}/events", history.route(Orders.TYPE));
        this.table = routes.build();
    }

    private static void read(RouteTable.Builder<QueryRoute> routes, String path, QueryRoute route) {
        routes.add("GET", path, route).add("HEAD", path, route);
    }

    List<String> keys() {
        return table.keys();
    }

    /** The request as a query ready to run; a {@code ProblemException} says what is wrong with it. */
    Query read(QueryExchange exchange) {
        HttpRequest request = exchange.request();
        RouteTable.Match<QueryRoute> match = table.find(request.method(), request.path());
        exchange.routed(match.route().key());
        Query query = match.target().read(new QueryInput(match, request))
                .withIfNoneMatch(EntityTags.ifNoneMatch(request.header(EntityTags.IF_NONE_MATCH)));
        exchange.parsed(query);
        return query;
    }
}
