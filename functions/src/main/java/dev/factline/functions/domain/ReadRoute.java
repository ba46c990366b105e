package dev.factline.functions.domain;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.StreamEntry;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a GET route of a domain serves; the query function reads each kind its own way. */
public sealed interface ReadRoute {

    /** A stream's view, at {@code .../{id}}; read-after-write and as-of reads rebuild it from the stream. */
    record View(StreamView<?, ?> model) implements ReadRoute {

        public View {
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * A page of the views {@code model} lists under the path's {@code {id}}, answered as
     * {@code {ownerField: id, itemsField: [...]}}.
     */
    record ListingOf(StreamView<?, ?> model, String ownerField, String itemsField) implements ReadRoute {

        public ListingOf {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(ownerField, "ownerField");
            Objects.requireNonNull(itemsField, "itemsField");
        }
    }

    /** A tally's summary over all of its source's views. */
    record TallyOf(Tally<?> tally) implements ReadRoute {

        public TallyOf {
            Objects.requireNonNull(tally, "tally");
        }
    }

    /** A stream's events, as stored (the audit history). */
    record History(AggregateType<?, ?, ?> type) implements ReadRoute {

        public History {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Every hosted aggregate type's streams, most recently changed first, by id prefix: their
     * catalogues, and where each type's streams are resources ({@code account} at {@code /accounts}).
     */
    record Streams(List<StreamView<?, StreamEntry>> catalogues, Map<String, String> resources) implements ReadRoute {

        public Streams {
            catalogues = List.copyOf(catalogues);
            resources = Map.copyOf(resources);
        }
    }
}
