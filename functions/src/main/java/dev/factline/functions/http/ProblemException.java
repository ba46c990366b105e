package dev.factline.functions.http;

import java.util.Objects;

/**
 * A request refused at the edge with a {@link Problem}: thrown by the readers of a request, turned
 * into its response by the function. It carries no stack trace: a bad request is an answer, not
 * a fault, and filling one in for every malformed body would cost for nothing.
 */
public final class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException of(ProblemType type, String detail) {
        return new ProblemException(Problem.of(type, detail));
    }

    public Problem problem() {
        return problem;
    }
}
