package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * The consumer's side of the guarantee: per stream, the versions in the order the stream's shard
 * holds them; after dropping every version not greater than the highest seen (a duplicate), what
 * remains must be 1, 2, 3, ... with no gap.
 */
final class StreamOrder {

    private final Map<String, List<Long>> versions = new LinkedHashMap<>();

    /** Envelopes in the order a consumer reads them (one shard's order; a stream lives in one shard). */
    static StreamOrder of(List<PublishedEnvelope> envelopes) {
        StreamOrder order = new StreamOrder();
        for (PublishedEnvelope envelope : envelopes) {
            order.versions.computeIfAbsent(envelope.streamId(), stream -> new ArrayList<>()).add(envelope.version());
        }
        return order;
    }

    /** Every copy, duplicates included, in shard order. */
    List<Long> copies(String stream) {
        return versions.getOrDefault(stream, List.of());
    }

    /** What a consumer applies: each version once, dropping any not above the highest seen. */
    List<Long> applied(String stream) {
        List<Long> applied = new ArrayList<>();
        long highest = 0;
        for (long version : copies(stream)) {
            if (version > highest) {
                applied.add(version);
                highest = version;
            }
        }
        return applied;
    }

    int duplicates(String stream) {
        return copies(stream).size() - applied(stream).size();
    }

    Set<String> streams() {
        return versions.keySet();
    }

    /** The stream reads 1..{@code count} in order after dropping duplicates. */
    void assertComplete(String stream, long count) {
        assertThat(applied(stream)).as("versions of %s applied, from copies %s", stream, copies(stream))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
    }

    /** The stream reads 1..n for some n (possibly 0): a gap-free prefix, whatever is still missing. */
    void assertGapFreePrefix(String stream) {
        List<Long> applied = applied(stream);
        assertThat(applied).as("versions of %s applied, from copies %s", stream, copies(stream))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, applied.size()).boxed().toList());
    }
}
