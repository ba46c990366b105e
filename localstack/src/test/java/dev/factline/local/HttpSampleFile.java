package dev.factline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@code .http} file of {@code samples/http}, read the way the JetBrains HTTP Client and VS Code's
 * REST Client read the part of the format the samples use: file variables ({@code @name = value},
 * before the first request, values may use earlier variables), requests separated by {@code ###}
 * lines (the rest of the line is the request's title), {@code #} and {@code //} comment lines, a
 * request line {@code METHOD URL}, headers up to a blank line, and the body up to the next
 * {@code ###}. {@code {{name}}} is replaced by the variable's value; dynamic variables
 * ({@code {{$uuid}}}), request variables, scripts and multipart bodies are not supported, and
 * refused rather than sent as they are.
 *
 * <p>Each request declares what it gets in a comment: {@code # expect <status> [problem type]
 * [eventually]}, the type being the part of a problem's {@code type} after
 * {@code https://factline.dev/problems/}, and {@code eventually} marking a read that waits on the
 * pipeline's asynchronous side (the saga).
 */
record HttpSampleFile(Path path, Map<String, String> variables, List<Request> requests) {

    private static final Pattern VARIABLE = Pattern.compile("^@([A-Za-z0-9_.-]+)\\s*=\\s*(.*)$");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");
    private static final Pattern EXPECTATION = Pattern.compile("^#\\s*expect\\s+(\\d{3})(?:\\s+(?!eventually\\b)([a-z/-]+))?(\\s+eventually)?\\s*$");
    private static final Pattern REQUEST_LINE = Pattern.compile("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\\s+(\\S+)(?:\\s+HTTP/[0-9.]+)?$");

    /** What a request declares it gets: a status, the problem type for a problem, and whether to wait for it. */
    record Expectation(int status, @Nullable String problemType, boolean eventually) {
    }

    /** One request as written: the target, headers and body still hold their {@code {{variables}}}. */
    record Request(String title, int line, String method, String target, Map<String, String> headers, String body, Expectation expectation) {

        @Override
        public String toString() {
            return "line " + line + " (" + title + "): " + method + " " + target;
        }
    }

    static HttpSampleFile read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        List<Request> requests = new ArrayList<>();
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith("###")) {
            Matcher variable = VARIABLE.matcher(lines.get(at).strip());
            if (variable.matches()) {
                variables.put(variable.group(1), variable.group(2).strip());
            }
            at++;
        }
        while (at < lines.size()) {
            int start = at;
            at++;
            while (at < lines.size() && !lines.get(at).startsWith("###")) {
                at++;
            }
            requests.add(request(path, lines.subList(start, at), start + 1));
        }
        return new HttpSampleFile(path, variables, requests);
    }

    private static Request request(Path path, List<String> block, int firstLine) {
        String title = block.getFirst().substring(3).strip();
        Expectation expectation = null;
        int at = 1;
        while (at < block.size() && isCommentOrBlank(block.get(at))) {
            Matcher expect = EXPECTATION.matcher(block.get(at).strip());
            if (expect.matches()) {
                expectation = new Expectation(Integer.parseInt(expect.group(1)), expect.group(2), expect.group(3) != null);
            }
            at++;
        }
        String where = path.getFileName() + ":" + (firstLine + at);
        if (expectation == null) {
            throw new IllegalArgumentException(path.getFileName() + ":" + firstLine + ": the request '" + title
                    + "' declares no '# expect <status>' comment");
        }
        Matcher requestLine = at < block.size() ? REQUEST_LINE.matcher(block.get(at).strip()) : null;
        if (requestLine == null || !requestLine.matches()) {
            throw new IllegalArgumentException(where + ": expected a request line 'METHOD URL'");
        }
        at++;
        Map<String, String> headers = new LinkedHashMap<>();
        while (at < block.size() && !block.get(at).isBlank()) {
            String header = block.get(at);
            int colon = header.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(path.getFileName() + ":" + (firstLine + at) + ": expected a header 'Name: value'");
            }
            headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            at++;
        }
        List<String> body = new ArrayList<>(block.subList(Math.min(at + 1, block.size()), block.size()));
        while (!body.isEmpty() && body.getLast().isBlank()) {
            body.removeLast();
        }
        return new Request(title, firstLine, requestLine.group(1), requestLine.group(2), headers, String.join("\n", body), expectation);
    }

    private static boolean isCommentOrBlank(String line) {
        String text = line.strip();
        return text.isEmpty() || text.startsWith("#") || text.startsWith("//");
    }

    /** {@code text} with every {@code {{name}}} replaced, from {@code values}, recursively; an unknown name is refused. */
    static String substitute(String text, Map<String, String> values) {
        Matcher reference = REFERENCE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("{{" + name + "}} is not a file variable"
                        + (name.startsWith("$") ? " (dynamic variables are not supported by HttpSamplesIT)" : ""));
            }
            reference.appendReplacement(result, Matcher.quoteReplacement(substitute(value, values)));
        }
        reference.appendTail(result);
        return result.toString();
    }
}
