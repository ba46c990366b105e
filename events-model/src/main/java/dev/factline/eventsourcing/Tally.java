package dev.factline.eventsourcing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Counters summed over every view of a {@link StreamView}: what each view contributes (an order
 * counts once in its status, its total in its status and currency), kept in {@code shards} rows of
 * counters that add up to the tally. A view's change moves its contribution in the same write
 * that moves the view, so an event delivered twice, skipped by the view's version, is never
 * counted twice; a view always counts in the same shard (by its key), so a reader adding up
 * shards read at slightly different moments sees each view once. Sums are exact integers
 * (DynamoDB numbers carry 38 digits), never wrapping.
 *
 * <p>A tally is part of its source's version: it lives in {@code <name>@<source version>}, is
 * rebuilt with its source, and a new version of the tally is a new version of its source.
 *
 * @param contribution what one view adds to the counters, by counter name
 * @param summary the tally as clients read it, from the summed counters (absent counters are zero)
 */
public record Tally<V>(
        String name,
        StreamView<?, V> source,
        Function<? super V, Map<String, Long>> contribution,
        Function<SortedMap<String, BigInteger>, ?> summary,
        int shards) implements ReadModel {

    /** Counter names are attribute names of the shard rows: letters, digits and underscores. */
    public static final Pattern COUNTER = Pattern.compile("[a-z][A-Za-z0-9_]{0,254}");

    private static final ObjectMapper JSON = Json.strictMapper();

    public Tally {
        ReadModel.requireName(name);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(contribution, "contribution");
        Objects.requireNonNull(summary, "summary");
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("tally " + name + " has 1..64 shards, not " + shards);
        }
    }

    @Override
    public int version() {
        return source.version();
    }

    /** What moving one view from {@code before} (null: none yet) to {@code after} adds to the counters; zeros left out. */
    public SortedMap<String, BigInteger> change(@Nullable V before, V after) {
        SortedMap<String, BigInteger> change = new TreeMap<>();
        add(change, contributionOf(after), BigInteger.ONE);
        if (before != null) {
            add(change, contributionOf(before), BigInteger.ONE.negate());
        }
        change.values().removeIf(amount -> amount.signum() == 0);
        return change;
    }

    private Map<String, Long> contributionOf(V view) {
        Map<String, Long> counters = contribution.apply(view);
        counters.keySet().forEach(counter -> {
            if (!COUNTER.matcher(counter).matches()) {
                throw new IllegalStateException("tally " + name + " names a counter '" + counter + "'; counters match " + COUNTER.pattern());
            }
        });
        return counters;
    }

    private static void add(Map<String, BigInteger> sum, Map<String, Long> counters, BigInteger sign) {
        counters.forEach((counter, amount) -> sum.merge(counter, BigInteger.valueOf(amount).multiply(sign), BigInteger::add));
    }

    /** The counters added up over shards (or changes); zeros left out. */
    public static SortedMap<String, BigInteger> sum(Collection<? extends Map<String, BigInteger>> parts) {
        SortedMap<String, BigInteger> sum = new TreeMap<>();
        parts.forEach(part -> part.forEach((counter, amount) -> sum.merge(counter, amount, BigInteger::add)));
        sum.values().removeIf(amount -> amount.signum() == 0);
        return sum;
    }

    /** The shard a view with read-table key {@code viewKey} counts in: always the same one. */
    public String shardKeyOf(String viewKey) {
        return shardKey(Math.floorMod(viewKey.hashCode(), shards));
    }

    public List<String> shardKeys() {
        List<String> keys = new ArrayList<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            keys.add(shardKey(shard));
        }
        return keys;
    }

    private String shardKey(int shard) {
        return space() + "/" + shard;
    }

    /** The tally as clients read it, as JSON. */
    public String summaryJson(SortedMap<String, BigInteger> counters) {
        Object summarized = Objects.requireNonNull(summary.apply(counters), "a tally's summary");
        try {
            return JSON.writeValueAsString(summarized);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the summary of tally " + name + ": " + e.getOriginalMessage(), e);
        }
    }
}
