package dev.factline.functions.publisher;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.stream.StreamFailures;
import java.util.List;
import java.util.Optional;

/**
 * What publishing one batch did: its failures (where Lambda must resume, the lowest sequence
 * number of the records not fully published, and the problems the log names, one per cause, not
 * one per record held behind it), and the counts the metrics report.
 */
record PublishReport(
        StreamFailures failures,
        int eventsPublished,
        int putRecordsCalls,
        int entriesRetried,
        int entriesRefused,
        int unreadableRecords,
        int unpublishableEvents) {

    StreamsEventResponse response() {
        return failures.response();
    }

    Optional<String> retryFrom() {
        return failures.retryFrom();
    }

    /** Records not fully published: reported, or held back behind a failure of their stream. */
    int recordsFailed() {
        return failures.failedRecords();
    }

    List<RecordProblem> problems() {
        return failures.problems();
    }

    /** The kinds of problem the publisher reports, as {@link RecordProblem#kind()} names them. */
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
