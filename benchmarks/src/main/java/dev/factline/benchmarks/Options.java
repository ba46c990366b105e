package dev.factline.benchmarks;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: {@code [--quick] [--only id,id] [--out directory]}. Anything else is refused
 * with a message that says what was wrong and what is accepted, before anything runs.
 */
public record Options(Mode mode, Set<String> only, Path output) {

    public static final String USAGE = """
            usage: factline-bench [--quick] [--only SECTION[,SECTION...]] [--out DIRECTORY]
              --quick    a shorter run (under 3 minutes on 2 cores) with fewer runs and sizes
              --only     run only these sections: %s
              --out      where to write report.md, report.json and the charts
                         (default benchmarks/results/<date>)""";

    /** A flag or value the harness does not accept. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    public Options {
        only = Set.copyOf(only);
    }

    public static Options parse(List<String> arguments, List<String> sectionIds, Path repositoryRoot, LocalDate today) {
        Mode mode = Mode.FULL;
        Set<String> only = new LinkedHashSet<>();
        Path output = repositoryRoot.resolve("benchmarks/results").resolve(today.toString());
        List<String> rest = new ArrayList<>(arguments);
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            switch (flag) {
                case "--quick" -> mode = Mode.QUICK;
                case "--only" -> {
                    String value = valueOf(flag, rest);
                    for (String id : value.split(",", -1)) {
                        if (!sectionIds.contains(id)) {
                            throw new UsageException("--only: no section '" + id + "'; the sections are " + String.join(", ", sectionIds));
                        }
                        only.add(id);
                    }
                }
                case "--out" -> output = Path.of(valueOf(flag, rest));
                default -> throw new UsageException("unknown argument '" + flag + "'");
            }
        }
        return new Options(mode, only, output);
    }

    private static String valueOf(String flag, List<String> rest) {
        if (rest.isEmpty() || rest.getFirst().startsWith("--") || rest.getFirst().isBlank()) {
            throw new UsageException(flag + " needs a value");
        }
        return rest.removeFirst();
    }

    public boolean runs(String sectionId) {
        return only.isEmpty() || only.contains(sectionId);
    }
}
