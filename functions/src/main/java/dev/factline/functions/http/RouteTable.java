package dev.factline.functions.http;

import dev.factline.eventsourcing.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes by method and path. A path that matches no template is a 404; a path that matches one
 * under other methods is a 405 naming them in {@code Allow}.
 *
 * @param <T> what a route leads to
 */
public final class RouteTable<T> {

    /** One route: {@code POST /accounts/{id}/deposits} and where it leads. */
    public record Route<T>(String method, PathTemplate path, T target) {

        /** {@code POST /accounts/{id}/deposits}, as API Gateway writes route keys. */
        public String key() {
            return method + " " + path;
        }
    }

    /** A route that matched, with the path's parameters. */
    public record Match<T>(Route<T> route, Map<String, String> parameters) {

        public T target() {
            return route.target();
        }

        /** The named path parameter; the template guarantees it exists. */
        public String parameter(String name) {
            String value = parameters.get(name);
            if (value == null) {
                throw new IllegalStateException(route.key() + " has no parameter {" + name + "}");
            }
            return value;
        }

        /**
         * The path's {@code {id}}, checked as the id part of a stream id (an account's, an order's,
         * a customer's too): a 400 problem otherwise.
         */
        public String pathId() {
            try {
                return StreamId.requireId("the id in the path", parameter("id"));
            } catch (IllegalArgumentException e) {
                throw ProblemException.of(ProblemType.INVALID_REQUEST, Texts.sentence(String.valueOf(e.getMessage())));
            }
        }
    }

    private final List<Route<T>> routes;
    private final String leadsTo;

    private RouteTable(List<Route<T>> routes, String leadsTo) {
        this.routes = List.copyOf(routes);
        this.leadsTo = leadsTo;
    }

    /** Routes to commands: an unknown path is "there is no command at ...". */
    public static <T> Builder<T> builder() {
        return builder("command");
    }

    /** @param leadsTo what the routes lead to, as a 404 names it: "there is no {@code leadsTo} at ..." */
    public static <T> Builder<T> builder(String leadsTo) {
        return new Builder<>(leadsTo);
    }

    /** Every route's key ({@code "GET /accounts/{id}"}), in the order declared. */
    public List<String> keys() {
        return routes.stream().map(Route::key).toList();
    }

    /** The route for {@code method} and {@code path}; a 404 or 405 problem otherwise. */
    public Match<T> find(String method, String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route<T> route : routes) {
            Optional<Map<String, String>> parameters = route.path().match(path);
            if (parameters.isPresent()) {
                if (route.method().equals(method)) {
                    return new Match<>(route, parameters.get());
                }
                allowed.add(route.method());
            }
        }
        if (allowed.isEmpty()) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "there is no " + leadsTo + " at " + Texts.quoted(path));
        }
        String allow = String.join(", ", allowed);
        throw new ProblemException(Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                        Texts.quoted(path) + " accepts " + allow + ", not " + Texts.quoted(method))
                .withHeader("Allow", allow));
    }

    public static final class Builder<T> {

        private final List<Route<T>> routes = new ArrayList<>();
        private final String leadsTo;

        private Builder(String leadsTo) {
            this.leadsTo = leadsTo;
        }

        public Builder<T> add(String method, String path, T target) {
            Route<T> route = new Route<>(method, new PathTemplate(path), target);
            for (Route<T> existing : routes) {
                if (existing.key().equals(route.key())) {
                    throw new IllegalArgumentException("route " + route.key() + " is declared twice");
                }
            }
            routes.add(route);
            return this;
        }

        public RouteTable<T> build() {
            return new RouteTable<>(routes, leadsTo);
        }
    }
}
