package dev.factline.eventsourcing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The shapes the properties draw their inputs from, on QuickTheories' generators (each of which
 * shrinks, whatever it is mapped or combined into). Numbers have their edge cases mixed in, and
 * a character comes from one of its sets, each set as likely as another whatever its size, so a
 * few special characters are not drowned by a large range.
 */
public final class Generators {

    /** How often, in percent, a number is one of its range's edge cases rather than any value in it. */
    private static final int EDGE_CASE_PERCENT = 10;
    /** The draw of {@link #lists} that drops an element. */
    private static final int DROP = 0;

    public static final Gen<Character> UPPER_CASE = characters('A', 'Z');
    public static final Gen<Character> LOWER_CASE = characters('a', 'z');
    public static final Gen<Character> DIGITS = characters('0', '9');

    private Generators() {
    }

    /**
     * Any long in {@code [min, max]}, and now and then an edge case: either bound, or one of the
     * values within two of where it shrinks to (0, or the bound nearest to it).
     */
    public static Gen<Long> longs(long min, long max) {
        long target = Math.clamp(0, min, max);
        List<Long> edges = LongStream.concat(LongStream.of(min, max), LongStream.rangeClosed(Math.max(min, target - 2), Math.min(max, target + 2)))
                .distinct().sorted().boxed().toList();
        return Generate.longRange(min, max, target).mix(Generate.pick(edges), EDGE_CASE_PERCENT);
    }

    /** As {@link #longs(long, long)}, for ints. */
    public static Gen<Integer> integers(int min, int max) {
        return longs(min, max).map(Math::toIntExact);
    }

    /** Any character from {@code first} to {@code last}, shrinking towards {@code first}. */
    public static Gen<Character> characters(char first, char last) {
        return Generate.range(first, last, first).map(code -> (char) code.intValue());
    }

    /** One of {@code chars}, shrinking towards the first. */
    public static Gen<Character> charactersOf(String chars) {
        return Generate.pick(chars.chars().mapToObj(c -> (char) c).toList());
    }

    /**
     * A value from one of the generators, each as likely as another (for characters: one of the
     * sets, whatever its size); shrinks towards the first.
     */
    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        Gen<Integer> which = Generate.range(0, generators.length - 1);
        return in -> generators[which.generate(in)].generate(in);
    }

    /** Strings of {@code minLength} to {@code maxLength} characters, each drawn from {@code characters}. */
    public static Gen<String> strings(Gen<Character> characters, int minLength, int maxLength) {
        return lists(characters, minLength, maxLength).map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /**
     * Lists of {@code minSize} to {@code maxSize} elements. Each element comes with a draw that
     * keeps it (99 in 100) or drops it, and shrinks towards dropping it, so a failing list shrinks
     * by losing any of its elements, not only its tail.
     */
    public static <T> Gen<List<T>> lists(Gen<T> elements, int minSize, int maxSize) {
        Gen<Integer> sizes = Generate.range(minSize, maxSize, minSize);
        Gen<Integer> keeps = Generate.range(0, 99, DROP);
        return in -> {
            int size = sizes.generate(in);
            List<T> list = new ArrayList<>(size);
            for (int drawn = 0; drawn < size; drawn++) {
                T element = elements.generate(in);
                boolean needed = list.size() + (size - drawn - 1) < minSize;
                if (keeps.generate(in) != DROP || needed) {
                    list.add(element);
                }
            }
            return List.copyOf(list);
        };
    }

    /** {@code values}, or null in {@code percentNull} percent of draws. */
    public static <T> Gen<@Nullable T> orNull(Gen<T> values, int percentNull) {
        return values.toOptionals(percentNull).map(value -> value.orElse(null));
    }

    /** A generator and its weight, for {@link #weighted(Pair, Pair...)}. */
    public static <T> Pair<Integer, Gen<? extends T>> weight(int weight, Gen<? extends T> values) {
        return Pair.of(weight, values);
    }

    /** A value from one of the generators, each chosen in proportion to its weight; shrinks towards the first. */
    @SafeVarargs
    public static <T> Gen<T> weighted(Pair<Integer, Gen<? extends T>> first, Pair<Integer, Gen<? extends T>>... others) {
        List<Pair<Integer, Gen<T>>> weights = new ArrayList<>();
        weights.add(Pair.of(first._1, widened(first._2)));
        for (Pair<Integer, Gen<? extends T>> other : others) {
            weights.add(Pair.of(other._1, widened(other._2)));
        }
        return Generate.frequency(weights);
    }

    private static <T> Gen<T> widened(Gen<? extends T> values) {
        return values::generate;
    }
}
