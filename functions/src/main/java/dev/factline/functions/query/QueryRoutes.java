package dev.factline.functions.query;

import dev.factline.functions.domain.Declarations.ReadPath;
import dev.factline.functions.domain.Domains;
import dev.factline.functions.domain.ReadRoute;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.RouteTable;
import java.util.List;

/**
 * Every read route of the hosted domains ({@code GET} and {@code HEAD} alike), each read the way
 * its kind says: a stream's view ({@code ?minVersion= | consistent= | atVersion= | asOf=}), a
 * listing or a history ({@code ?after=} and {@code limit=}), a tally's summary, or the search of
 * every type's streams ({@code ?type=&prefix=}); and, beside the domains' routes, the rebuilds of every
 * hosted read model ({@value QueryFunction#REBUILDS_PATH}).
 */
final class QueryRoutes {

    private final RouteTable<QueryRoute> table;

    QueryRoutes(Domains domains, ViewReads views, ListingReads listings, TallyReads tallies, HistoryReads history,
            StreamSearch streams, RebuildReads rebuilds) {
        RouteTable.Builder<QueryRoute> routes = RouteTable.builder("resource");
        for (ReadPath read : domains.readRoutes()) {
            QueryRoute route = switch (read.route()) {
                case ReadRoute.View view -> views.route(view.model());
                case ReadRoute.ListingOf listing -> listings.route(listing.model(), listing.ownerField(), listing.itemsField());
                case ReadRoute.TallyOf tally -> tallies.route(tally.tally());
                case ReadRoute.History events -> history.route(events.type());
                case ReadRoute.Streams catalogues -> streams.route(catalogues.catalogues(), catalogues.resources());
            };
            routes.add("GET", read.path(), route).add("HEAD", read.path(), route);
        }
        QueryRoute runs = rebuilds.route();
        routes.add("GET", RebuildReads.PATH, runs).add("HEAD", RebuildReads.PATH, runs);
        this.table = routes.build();
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
