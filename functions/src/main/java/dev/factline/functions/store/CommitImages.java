package dev.factline.functions.store;

import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the events out of an event-table item as a change record shows it, for the functions
 * on the table's stream. Only commits carry events; claims and snapshots share the table and
 * its stream, and are passed over. {@link #of} makes such an image, for batches made up offline.
 */
public final class CommitImages {

    private CommitImages() {
    }

    /**
     * The item (and so the stream's new image) of a commit of {@code events} right after
     * {@code expectedVersion}, without an idempotency key: for batches made up offline (priming).
     */
    public static Map<String, AttributeValue> of(StreamId streamId, long expectedVersion, List<NewEvent> events) {
        return Items.commit(streamId, expectedVersion, events, null, Map.of());
    }

    /**
     * The events of a commit item, in version order, claim-checked payloads resolved by {@code claims};
     * empty for an item of another kind.
     *
     * @throws IllegalStateException if the item says it is a commit but is not a whole one
     * @throws PayloadTamperedException if a claimed payload is missing or not the one claimed
     * @throws PayloadStoreUnavailableException if a claimed payload cannot be fetched
     */
    public static Optional<List<RecordedEvent>> events(Map<String, AttributeValue> image, ClaimChecks claims) {
        if (!Items.isCommit(image)) {
            return Optional.empty();
        }
        try {
            List<RecordedEvent> events = Items.events(image, claims);
            long lastVersion = Items.lastVersion(image);
            if (events.isEmpty() || events.getLast().version() != lastVersion) {
                throw new IllegalStateException("commit " + image.get(EventTable.PARTITION_KEY).s() + " from version "
                        + Items.firstVersion(image) + " holds " + events.size() + " events but says it ends at " + lastVersion);
            }
            return Optional.of(events);
        } catch (PayloadTamperedException | PayloadStoreUnavailableException claimNotResolved) {
            throw claimNotResolved;
        } catch (RuntimeException malformed) {
            throw malformed instanceof IllegalStateException stated ? stated
                    : new IllegalStateException("unreadable commit item: " + malformed.getMessage(), malformed);
        }
    }
}
