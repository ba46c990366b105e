package dev.factline.benchmarks.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** Relative weights of the operations, e.g. {@code deposit=5,read=4,order=1}; each request draws one. */
public record Mix(Map<Operation, Integer> weights) {

    public Mix {
        weights = Map.copyOf(weights);
        if (weights.isEmpty() || weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new IllegalArgumentException("a mix needs at least one operation with a positive weight");
        }
        weights.forEach((operation, weight) -> {
            if (weight < 0) {
                throw new IllegalArgumentException("weight of " + operation.label() + " is negative: " + weight);
            }
        });
    }

    public static Mix only(Operation operation) {
        return new Mix(Map.of(operation, 1));
    }

    /** Parses {@code name=weight,...}; names are {@link Operation} labels, weights non-negative integers. */
    public static Mix parse(String text) {
        Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
        for (String part : text.split(",", -1)) {
            String[] nameAndWeight = part.split("=", -1);
            if (nameAndWeight.length != 2) {
                throw new IllegalArgumentException("'" + part + "' is not name=weight (e.g. deposit=5,read=4,order=1)");
            }
            Operation operation = Operation.of(nameAndWeight[0].trim());
            int weight;
            try {
                weight = Integer.parseInt(nameAndWeight[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + operation.label() + " is not a whole number: '" + nameAndWeight[1] + "'");
            }
            if (weights.put(operation, weight) != null) {
                throw new IllegalArgumentException(operation.label() + " is given twice");
            }
        }
        return new Mix(weights);
    }

    public Operation draw(RandomGenerator random) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int ticket = random.nextInt(total);
        for (Operation operation : Operation.values()) {
            ticket -= weights.getOrDefault(operation, 0);
            if (ticket < 0) {
                return operation;
            }
        }
        throw new AssertionError("a ticket below the total always lands on an operation");
    }

    @Override
    public String toString() {
        return weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey().label() + "=" + entry.getValue()).collect(Collectors.joining(","));
    }
}
