package dev.factline.replay;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration as a person types it ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) or in ISO-8601 ({@code PT30S}). */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("([0-9]+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher shortForm = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (RuntimeException notIso) {
            throw new TypeConversionException("'" + value + "' is no duration: write e.g. 500ms, 30s, 2m or PT30S");
        }
    }
}
