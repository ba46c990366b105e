package dev.factline.functions.http;

import dev.factline.functions.store.PayloadStoreUnavailableException;
import dev.factline.functions.store.PayloadTamperedException;
import dev.factline.personal.KeyServiceUnavailableException;
import dev.factline.personal.PersonalDataTamperedException;
import java.util.Optional;

/**
 * The problems that sealed personal data and claim-checked payloads can cause on any route,
 * answered alike by the command and the query function: a service they need is away (503 with
 * {@code Retry-After}, as every 503), or what was stored is not what was written (500, naming where).
 */
public final class StoredDataProblems {

    private StoredDataProblems() {
    }

    /** The problem {@code failure} is, if it is one of these. */
    public static Optional<Problem> of(RuntimeException failure) {
        return switch (failure) {
            case KeyServiceUnavailableException unavailable -> Optional.of(Problem.of(ProblemType.KEYS_UNAVAILABLE,
                    "the keys of personal data could not be used, so nothing was sealed, opened or written; send the request again shortly"));
            case PayloadStoreUnavailableException unavailable -> Optional.of(Problem.of(ProblemType.PAYLOADS_UNAVAILABLE,
                    "the store of large payloads could not be reached, so nothing was written or read; send the request again shortly"));
            case PersonalDataTamperedException tampered -> Optional.of(Problem.of(ProblemType.PERSONAL_DATA_TAMPERED, tampered.getMessage()));
            case PayloadTamperedException tampered -> Optional.of(Problem.of(ProblemType.PAYLOAD_TAMPERED, tampered.getMessage()));
            default -> Optional.empty();
        };
    }
}
