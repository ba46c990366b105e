package dev.factline.functions.http;

import dev.factline.functions.store.PayloadStoreUnavailableException;
import dev.factline.functions.store.PayloadTamperedException;
import java.util.Optional;

/** The problems claim-checked payloads can cause on any route, answered alike by the command and the query function. */
public final class ClaimCheckProblems {

    /** Long enough for a throttled or restarted S3 to answer again; short enough that a client barely waits. */
    static final String RETRY_AFTER_SECONDS = "2";

    private ClaimCheckProblems() {
    }

    /** The problem {@code failure} is, if it is one of claim checks'. */
    public static Optional<Problem> of(RuntimeException failure) {
        return switch (failure) {
            case PayloadStoreUnavailableException unavailable -> Optional.of(Problem.of(ProblemType.PAYLOADS_UNAVAILABLE,
                    "the store of large payloads could not be reached, so nothing was written or read; send the request again shortly")
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS));
            case PayloadTamperedException tampered -> Optional.of(Problem.of(ProblemType.PAYLOAD_TAMPERED, tampered.getMessage()));
            default -> Optional.empty();
        };
    }
}
