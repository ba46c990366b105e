package dev.factline.functions.topology;

import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.config.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One Lambda function as deployed: its handler, size and time limit, which resources it reaches
 * through which environment variables, fixed settings, and what it may do with each resource.
 *
 * @param name a short name, unique in the topology ({@code command}, {@code projector})
 * @param handler the handler class's binary name, as Lambda's runtime loads it
 * @param environment environment variable to the resource whose name (or URL) it carries
 * @param settings environment variables with fixed values: the function reads each as
 *     {@link FunctionSettings} declares it, and a variable it does not read, or a value it would
 *     refuse, is refused here, where the topology declares it
 * @param grants what the function may do with each resource it uses, and nothing more
 * @param reservedConcurrency Lambda's reserved concurrency: at most this many containers at once, each
 *     invocation over it throttled; empty for none (the function shares the account's pool)
 */
public record FunctionSpec(
        String name,
        String handler,
        int memoryMegabytes,
        Duration timeout,
        Map<String, Resource> environment,
        Map<String, String> settings,
        Map<Resource, Access> grants,
        OptionalInt reservedConcurrency) {

    /** A function without reserved concurrency. */
    public FunctionSpec(String name, String handler, int memoryMegabytes, Duration timeout, Map<String, Resource> environment,
            Map<String, String> settings, Map<Resource, Access> grants) {
        this(name, handler, memoryMegabytes, timeout, environment, settings, grants, OptionalInt.empty());
    }

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
        settings = Map.copyOf(settings);
        grants = Map.copyOf(grants);
        Objects.requireNonNull(reservedConcurrency, "reservedConcurrency");
        // Lambda takes 0 (the function never runs); a topology leaves such a function out instead.
        if (reservedConcurrency.isPresent() && reservedConcurrency.getAsInt() < 1) {
            throw new IllegalArgumentException(name + ": reserved concurrency is at least 1, not " + reservedConcurrency.getAsInt());
        }
        if (memoryMegabytes < 128 || memoryMegabytes > 10_240) {
            throw new IllegalArgumentException(name + ": Lambda memory is 128-10240 MB, not " + memoryMegabytes);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException(name + ": a Lambda timeout is 1 s to 15 min, not " + timeout);
        }
        for (String variable : environment.keySet()) {
            declared(name, variable);
        }
        settings.forEach((variable, value) -> declared(name, variable).check(value));
        for (Resource used : environment.values()) {
            if (!grants.containsKey(used)) {
                throw new IllegalArgumentException(name + " is given " + used + " in its environment but no access to it");
            }
        }
    }

    /** The same function with {@code containers} of reserved concurrency. */
    public FunctionSpec withReservedConcurrency(int containers) {
        return new FunctionSpec(name, handler, memoryMegabytes, timeout, environment, settings, grants, OptionalInt.of(containers));
    }

    private static Setting<?> declared(String function, String variable) {
        return FunctionSettings.named(variable).orElseThrow(() -> new IllegalArgumentException(function + " is given " + variable
                + ", which no function reads (FunctionSettings declares every variable a function reads)"));
    }
}
