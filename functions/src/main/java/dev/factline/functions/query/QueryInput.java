package dev.factline.functions.query;

import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.QueryString;
import dev.factline.functions.http.RouteTable;

/** What a route reads a request from: the matched route (for the path's id) and the request. */
record QueryInput(RouteTable.Match<QueryRoute> match, HttpRequest request) {

    /** The path's {@code {id}}, checked as the id part of a stream id (so a customer id too): a 400 otherwise. */
    String pathId() {
        return match.pathId();
    }

    QueryString query() {
        return request.query();
    }

    /** The path as the client sent it, for links to further pages. */
    String path() {
        return request.path();
    }
}
