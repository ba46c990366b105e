package dev.factline.functions.query;

/** One GET route: reads its request into a {@link Query}, refusing what does not fit with a 400. */
@FunctionalInterface
interface QueryRoute {
    Query read(QueryInput input);
}
