package dev.factline.functions.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One environment variable a function reads: its name, what it means, its default, and how its
 * text is read. {@link FunctionSettings} declares them all; a function reads one with
 * {@link Environment#get}, the topology sets one with {@link #set}, and both go through the same
 * reading, so a value the topology gives is one the function accepts.
 *
 * <p>Text is stripped and a blank value counts as unset. Unset, a setting is its default; one
 * without a default stops the function, naming the variable and what it is for. A value that does
 * not read stops it too, naming the variable, the rule and the value.
 *
 * @param <T> what the function gets: a name, a number, a duration, or an {@code Optional} for a
 *     setting that may be absent (the cache's URL)
 */
public final class Setting<T> {

    private final String name;
    private final String meaning;
    private final @Nullable T fallback;
    private final Function<String, T> reading;
    private final Function<T, String> writing;

    private Setting(String name, String meaning, @Nullable T fallback, Function<String, T> reading, Function<T, String> writing) {
        this.name = Objects.requireNonNull(name, "name");
        this.meaning = Objects.requireNonNull(meaning, "meaning");
        this.fallback = fallback;
        this.reading = Objects.requireNonNull(reading, "reading");
        this.writing = Objects.requireNonNull(writing, "writing");
    }

    /**
     * A name the function cannot start without, matching {@code pattern}.
     *
     * @param rule what a value must be when it does not match, e.g. "a DynamoDB table name (...)"
     */
    static Setting<String> name(String name, String meaning, Pattern pattern, String rule) {
        return new Setting<>(name, meaning, null, text -> {
            if (!pattern.matcher(text).matches()) {
                throw new IllegalArgumentException(rule);
            }
            return text;
        }, Function.identity());
    }

    /** A whole number from {@code min} to {@code max}, {@code fallback} when unset. */
    static Setting<Integer> count(String name, String meaning, int fallback, int min, int max) {
        String rule = max == Integer.MAX_VALUE ? "a whole number of " + min + " or more" : "a whole number from " + min + " to " + max;
        return new Setting<>(name, meaning, fallback, text -> {
            try {
                int parsed = Integer.parseInt(text);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException notANumber) {
                // the rule below says what it must be
            }
            throw new IllegalArgumentException(rule);
        }, String::valueOf);
    }

    /** A duration given in whole milliseconds, at least 1; {@code fallback} when unset. */
    static Setting<Duration> millis(String name, String meaning, Duration fallback) {
        return new Setting<>(name, meaning, fallback, text -> {
            try {
                long parsed = Long.parseLong(text);
                if (parsed >= 1) {
                    return Duration.ofMillis(parsed);
                }
            } catch (NumberFormatException notANumber) {
                // the rule below says what it must be
            }
            throw new IllegalArgumentException("a whole number of milliseconds, 1 or more");
        }, duration -> String.valueOf(duration.toMillis()));
    }

    /** An absolute URL with a host and one of {@code schemes}, or nothing when unset. */
    static Setting<Optional<URI>> url(String name, String meaning, Set<String> schemes, String example) {
        return new Setting<>(name, meaning, Optional.empty(), text -> {
            try {
                URI uri = new URI(text);
                if (uri.getHost() != null && uri.getScheme() != null && schemes.contains(uri.getScheme())) {
                    return Optional.of(uri);
                }
            } catch (URISyntaxException notAUri) {
                // the rule below says what it must be
            }
            throw new IllegalArgumentException("a URL such as " + example);
        }, uri -> uri.map(URI::toString).orElse(""));
    }

    /** Any text, or nothing when unset. */
    static Setting<Optional<String>> text(String name, String meaning) {
        return new Setting<>(name, meaning, Optional.empty(), Optional::of, value -> value.orElse(""));
    }

    /** The environment variable, e.g. {@code SNAPSHOT_INTERVAL}. */
    public String name() {
        return name;
    }

    /** What it is for, e.g. "the name of the DynamoDB event table". */
    public String meaning() {
        return meaning;
    }

    /** What a function takes when the variable is unset; empty when it cannot start without it. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(fallback);
    }

    /**
     * The variable set to {@code value}, as the topology declares it and the CDK stack and the
     * local pipeline pass it on.
     *
     * @throws IllegalStateException if the function would refuse that value
     */
    public Map.Entry<String, String> set(T value) {
        String text = writing.apply(value);
        check(text);
        return Map.entry(name, text);
    }

    /**
     * Checks {@code text} as the function would read it.
     *
     * @throws IllegalStateException naming the variable, the rule and the value, if it does not read
     */
    public void check(String text) {
        read(text.strip());
    }

    T readFrom(Environment environment) {
        Optional<String> text = environment.optional(name);
        if (text.isPresent()) {
            return read(text.get());
        }
        if (fallback == null) {
            throw Environment.notSet(name, meaning);
        }
        return fallback;
    }

    private T read(String text) {
        try {
            return reading.apply(text);
        } catch (IllegalArgumentException rule) {
            throw new IllegalStateException(name + " must be " + rule.getMessage() + ", but is '" + text + "'", rule);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
