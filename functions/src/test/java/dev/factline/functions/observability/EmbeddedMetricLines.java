package dev.factline.functions.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** What a function's metrics write: the embedded-metric-format line {@code recording} sends to standard output. */
public final class EmbeddedMetricLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedMetricLines() {
    }

    /** The last line standard output received while {@code recording} ran, read as JSON. */
    public static JsonNode lastLineOf(Runnable recording) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOutput = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            recording.run();
        } finally {
            System.setOut(standardOutput);
        }
        String output = captured.toString(StandardCharsets.UTF_8).strip();
        try {
            return JSON.readTree(output.lines().reduce((first, last) -> last).orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException("the metrics wrote no JSON line: " + output, e);
        }
    }
}
