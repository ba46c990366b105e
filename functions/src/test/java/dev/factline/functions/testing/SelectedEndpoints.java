package dev.factline.functions.testing;

import dev.factline.emulators.OutsideEndpoints;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** {@link OutsideEndpoints#selected()} for a test: where moto was asked for and cannot run, the test is skipped, the reason on stderr too. */
public final class SelectedEndpoints {

    private SelectedEndpoints() {
    }

    /** The outside endpoints this JVM's suites are pointed at, or empty for their own emulators. */
    public static Optional<OutsideEndpoints> orSkip() {
        try {
            return OutsideEndpoints.selected();
        } catch (OutsideEndpoints.UnavailableException e) {
            // The build log keeps stderr (the moto runs do not redirect it), so the skip says why there too.
            System.err.println("[skipped] " + e.getMessage());
            Assumptions.abort(e.getMessage());
            throw e;
        }
    }
}
