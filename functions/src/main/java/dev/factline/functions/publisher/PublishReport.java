package dev.factline.functions.publisher;

import dev.factline.functions.stream.RetryPoint;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What publishing one batch did: where Lambda must resume (the lowest sequence number of the
 * records not fully published), the counts the metrics report, and the problems the log names.
 */
record PublishReport(
        RetryPoint retryPoint,
        int eventsPublished,
        int putRecordsCalls,
        int entriesRetried,
        int entriesRefused,
        int recordsFailed,
        int recordsHeld,
        int unreadableRecords,
        int unpublishableEvents,
        List<Problem> problems) {

    PublishReport {
        problems = List.copyOf(problems);
    }

    Optional<String> retryFrom() {
        return retryPoint.lowest();
    }

    /** Why a record was not fully published; one per cause, not one per record held behind it. */
    record Problem(Kind kind, String sequenceNumber, @Nullable String streamId, @Nullable Long version, String reason) {
    }

    enum Kind {
        /** A record that says it is a commit but cannot be read. */
        UNREADABLE("unreadable"),
        /** An event that no attempt can publish (too big, payload not a JSON object). */
        UNPUBLISHABLE("unpublishable"),
        /** An event refused on every attempt. */
        GAVE_UP("gave-up"),
        /** Events left when the invocation's time ran short. */
        OUT_OF_TIME("out-of-time"),
        /** A record without a sequence number: the whole batch is retried. */
        UNPLACEABLE("unplaceable");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }
}
