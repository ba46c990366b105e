package dev.factline.functions.http;

import dev.factline.personal.KeyServiceUnavailableException;
import dev.factline.personal.PersonalDataTamperedException;
import java.util.Optional;

/** The problems personal data can cause on any route, answered alike by the command and the query function. */
public final class PersonalDataProblems {

    /** Long enough for a throttled KMS or a restarted key file to recover; short enough that a client barely waits. */
    static final String RETRY_AFTER_SECONDS = "2";

    private PersonalDataProblems() {
    }

    /** The problem {@code failure} is, if it is one of personal data's. */
    public static Optional<Problem> of(RuntimeException failure) {
        return switch (failure) {
            case KeyServiceUnavailableException unavailable -> Optional.of(Problem.of(ProblemType.KEYS_UNAVAILABLE,
                    "the keys of personal data could not be used, so nothing was sealed, opened or written; send the request again shortly")
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS));
            case PersonalDataTamperedException tampered -> Optional.of(Problem.of(ProblemType.PERSONAL_DATA_TAMPERED, tampered.getMessage()));
            default -> Optional.empty();
        };
    }
}
