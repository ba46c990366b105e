package dev.factline.functions.query;

import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.functions.http.Problem;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.StoredDataProblems;
import dev.factline.functions.view.ReadTableUnavailableException;

/** What each way a query can fail means to a client, as a problem: the one place they are made. */
final class QueryProblems {

    private QueryProblems() {
    }

    static Problem of(RuntimeException failure) {
        return StoredDataProblems.of(failure).orElseGet(() -> switch (failure) {
            case ProblemException refused -> refused.problem();
            case ViewsUnavailableException unavailable -> viewsUnavailable();
            case ReadTableUnavailableException unavailable -> viewsUnavailable();
            case EventStoreUnavailableException unavailable -> Problem.of(ProblemType.STORE_UNAVAILABLE,
                    "the event store could not be reached; nothing is wrong with the request, so it may be sent again shortly");
            default -> Problem.of(ProblemType.INTERNAL_ERROR,
                    "the query could not be answered because of an error on our side; quote the correlationId when asking about it");
        });
    }

    private static Problem viewsUnavailable() {
        return Problem.of(ProblemType.VIEWS_UNAVAILABLE,
                "the read table could not be reached; nothing is wrong with the request, so it may be sent again shortly");
    }
}
