package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code Main} in a JVM of its own, as {@code java -jar factline-local.jar ARGS} runs it, its temp
 * folders under {@code tmp}: what a user runs, and what a {@code kill -9} can hit.
 */
record PipelineJvm(Process process, List<String> stdout, List<String> stderr) implements AutoCloseable {

    private static final Pattern HTTP_API = Pattern.compile("HTTP API\\s+(http://\\S+)");

    /** Starts it and waits until it has printed its whole banner. */
    static PipelineJvm start(Path tmp, String... args) throws IOException {
        PipelineJvm jvm = launch(tmp, args);
        CompletableFuture<Void> up = new CompletableFuture<>();
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (!up.isDone()) {
                // the banner's last line: everything it says has been read by then
                if (jvm.stdout.stream().anyMatch(line -> line.contains("Ctrl-C stops everything"))) {
                    up.complete(null);
                }
                if (!jvm.process.isAlive()) {
                    up.completeExceptionally(new IllegalStateException("exited with " + jvm.process.exitValue()));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            up.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            jvm.close();
            throw new AssertionError("the pipeline did not start; its stderr:\n" + String.join("\n", jvm.stderr), e);
        } finally {
            watcher.interrupt();
        }
        return jvm;
    }

    /** Runs it to its end (a refusal, a --reset): its exit code and all it printed. */
    static Finished run(Path tmp, String... args) throws IOException, InterruptedException {
        PipelineJvm jvm = launch(tmp, args);
        if (!jvm.process.waitFor(60, TimeUnit.SECONDS)) {
            jvm.close();
            throw new AssertionError("still running after 60 s: " + String.join("\n", jvm.stdout));
        }
        // the readers may still be draining the last lines
        Thread.sleep(100);
        return new Finished(jvm.process.exitValue(), String.join("\n", jvm.stdout), String.join("\n", jvm.stderr));
    }

    record Finished(int exitCode, String stdout, String stderr) {
    }

    private static PipelineJvm launch(Path tmp, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().remove("FACTLINE_PORT");
        Process process = builder.start();
        List<String> stdout = new CopyOnWriteArrayList<>();
        List<String> stderr = new CopyOnWriteArrayList<>();
        drain(process.errorReader(UTF_8), stderr::add);
        drain(process.inputReader(UTF_8), stdout::add);
        return new PipelineJvm(process, stdout, stderr);
    }

    /** The HTTP API's URL from the banner, or null before it is printed. */
    @Nullable URI url() {
        for (String line : stdout) {
            Matcher matcher = HTTP_API.matcher(line);
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
        }
        return null;
    }

    /** The one child process whose command line contains {@code marker} (e.g. {@code dynalite-server.js}). */
    ProcessHandle child(String marker) {
        return process.descendants().filter(child -> ChildSupervisionIT.commandLine(child).contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no child process of the pipeline runs " + marker));
    }

    /** {@code kill -9}: the JVM has no chance to stop anything. Returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private static void drain(BufferedReader reader, Consumer<String> line) {
        Thread thread = new Thread(() -> {
            try (reader) {
                reader.lines().forEach(line);
            } catch (IOException | UncheckedIOException e) {
                // the JVM is gone
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    /** A clean stop (SIGTERM, as Ctrl-C), forced after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
    }
}
