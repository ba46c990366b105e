package dev.factline.benchmarks.coldstart;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One cold start: a new JVM running {@link ColdStartProbe} on a handler, with only the environment
 * given (as Lambda gives a function only its configuration). The time to ready is this side's wall
 * clock from spawning the process to reading the probe's ready line, so it counts the JVM's own
 * start as Lambda's init phase does; the first invoke is timed inside the child.
 */
final class FreshJvm {

    /** What one cold start measured. */
    record ColdStart(double readyMillis, double invokeMillis, double primingMillis, int classesLoaded, int classesLoadedByFirstInvoke,
            List<Double> warmInvokeMillis) {
    }

    private static final long EXIT_TIMEOUT_SECONDS = 60;
    private static final int LINES_KEPT_FOR_ERRORS = 30;

    private final Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath;

    /** @param deployableJar the functions' jar as Lambda gets it; {@code probeJar} from {@link ProbeJar} */
    FreshJvm(Path deployableJar, Path probeJar) {
        this.classPath = deployableJar + File.pathSeparator + probeJar;
    }

    /**
     * Runs {@code handler} on {@code eventFile} under {@code flags}, primed first when asked, then
     * warm on each of {@code warmEventFiles}, and checks that the answer summary is
     * {@code expectedAnswer} (else the numbers would be a failure's).
     */
    ColdStart run(String handler, Class<?> eventType, Path eventFile, List<Path> warmEventFiles, List<String> flags, boolean primed,
            Map<String, String> environment, String expectedAnswer) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", classPath, ColdStartProbe.class.getName(), handler, eventType.getName(), eventFile.toString(),
                primed ? ColdStartProbe.PRIMED : "cold"));
        warmEventFiles.forEach(file -> command.add(file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);

        long spawned = System.nanoTime();
        Process process = builder.start();
        long readyNanos = -1;
        @Nullable String invoked = null;
        List<Double> warmMillis = List.of();
        Deque<String> lastLines = new ArrayDeque<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals(ColdStartProbe.READY)) {
                    readyNanos = System.nanoTime() - spawned;
                } else if (line.startsWith(ColdStartProbe.WARM)) {
                    warmMillis = line.length() == ColdStartProbe.WARM.length() ? List.of()
                            : Arrays.stream(line.substring(ColdStartProbe.WARM.length() + 1).split(" ")).map(nanos -> Long.parseLong(nanos) / 1e6).toList();
                } else if (line.startsWith(ColdStartProbe.PREFIX + "invoked ")) {
                    invoked = line.substring((ColdStartProbe.PREFIX + "invoked ").length());
                } else {
                    lastLines.addLast(line);
                    if (lastLines.size() > LINES_KEPT_FOR_ERRORS) {
                        lastLines.removeFirst();
                    }
                }
            }
        } finally {
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if (process.exitValue() != 0 || readyNanos < 0 || invoked == null) {
            throw new IllegalStateException(handler + " did not start and answer (exit " + process.exitValue() + "); it printed:\n"
                    + String.join("\n", lastLines));
        }
        String[] fields = invoked.split(" ", 5);
        if (!fields[4].equals(expectedAnswer)) {
            throw new IllegalStateException(handler + " answered " + fields[4] + ", not " + expectedAnswer + "; it printed:\n"
                    + String.join("\n", lastLines));
        }
        return new ColdStart(readyNanos / 1e6, Long.parseLong(fields[0]) / 1e6, Long.parseLong(fields[1]) / 1e6, Integer.parseInt(fields[2]),
                Integer.parseInt(fields[3]), warmMillis);
    }
}
