package dev.factline.benchmarks.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load run: the API's base URL, how many closed-loop workers, how long to measure after a
 * warm-up that is not measured, and the mix of operations.
 */
public record LoadPlan(URI url, int concurrency, Duration warmup, Duration duration, Mix mix) {

    public static final String USAGE = """
            usage: samples/load.sh [--url URL] [--concurrency N] [--duration 30s] [--warmup 5s] [--mix deposit=5,read=4,order=1]
              --url          the API's base URL (default http://127.0.0.1:8080, what ./factline-local serves)
              --concurrency  closed-loop workers, each with an account of its own (default 8)
              --duration     how long to measure: 500ms, 30s, 2m (default 30s)
              --warmup       how long to run first without measuring (default 5s)
              --mix          operations and their weights: open, deposit, read, order (default deposit=5,read=4,order=1)""";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");
    private static final Duration LONGEST = Duration.ofHours(24);

    public LoadPlan {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mix, "mix");
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 1024, not " + concurrency);
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("--duration must be positive and at most 24 hours, not " + duration);
        }
        if (warmup.isNegative() || warmup.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("--warmup must be between 0 and 24 hours, not " + warmup);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http or https URL with a host, not '" + url + "'");
        }
    }

    public static LoadPlan defaults() {
        return new LoadPlan(URI.create("http://127.0.0.1:8080"), 8, Duration.ofSeconds(5), Duration.ofSeconds(30), Mix.parse("deposit=5,read=4,order=1"));
    }

    public LoadPlan withConcurrency(int value) {
        return new LoadPlan(url, value, warmup, duration, mix);
    }

    /** Parses the command line over {@link #defaults()}; a wrong flag or value throws with a message saying which. */
    public static LoadPlan parse(List<String> arguments) {
        LoadPlan plan = defaults();
        List<String> rest = new ArrayList<>(arguments);
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
                throw new IllegalArgumentException(flag.startsWith("--") && known(flag) ? flag + " needs a value" : "unknown argument '" + flag + "'");
            }
            String value = rest.removeFirst();
            plan = switch (flag) {
                case "--url" -> new LoadPlan(uri(value), plan.concurrency, plan.warmup, plan.duration, plan.mix);
                case "--concurrency" -> plan.withConcurrency(wholeNumber(flag, value));
                case "--duration" -> new LoadPlan(plan.url, plan.concurrency, plan.warmup, duration(flag, value), plan.mix);
                case "--warmup" -> new LoadPlan(plan.url, plan.concurrency, duration(flag, value), plan.duration, plan.mix);
                case "--mix" -> new LoadPlan(plan.url, plan.concurrency, plan.warmup, plan.duration, Mix.parse(value));
                default -> throw new IllegalArgumentException("unknown argument '" + flag + "'");
            };
        }
        return plan;
    }

    private static boolean known(String flag) {
        return List.of("--url", "--concurrency", "--duration", "--warmup", "--mix").contains(flag);
    }

    private static URI uri(String value) {
        try {
            return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url is not a URL: '" + value + "'");
        }
    }

    private static int wholeNumber(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number up to 1024, not '" + value + "'");
        }
    }

    static Duration duration(String flag, String value) {
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(flag + " must be a number with ms, s or m (500ms, 30s, 2m), not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
