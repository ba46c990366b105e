package dev.factline.functions.query;

import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.QueryString;
import dev.factline.functions.http.RouteTable;
import dev.factline.functions.http.Texts;

/** What a route reads a request from: the matched route (for the path's id) and the request. */
record QueryInput(RouteTable.Match<QueryRoute> match, HttpRequest request) {

    /** The path's {@code {id}}, checked as the id part of a stream id (so a customer id too): a 400 otherwise. */
    String pathId() {
        String id = match.parameter("id");
        try {
            return StreamId.requireId("the id in the path", id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST, Texts.sentence(String.valueOf(e.getMessage())));
        }
    }

    QueryString query() {
        return request.query();
    }

    /** The path as the client sent it, for links to further pages. */
    String path() {
        return request.path();
    }
}
