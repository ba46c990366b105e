package dev.factline.local;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 on a loopback port, read off the socket here rather than by the JDK's {@code HttpServer}:
 * that server answers a request line {@code java.net.URI} refuses (a raw NUL or non-ASCII byte, a
 * {@code %} without two hex digits) with a text/html page of its own before any handler runs, and
 * offers no way to answer otherwise.
 *
 * <p>It reads a request line {@code method SP origin-form SP HTTP/1.x} (RFC 9112 and RFC 3986: the
 * target's characters are those a path and a query may hold, or {@code %XX}), header fields without
 * folding or control characters, and a body framed by {@code Content-Length} or chunked; it answers
 * {@code Expect: 100-continue} and keeps connections open unless the client asks otherwise (HTTP/1.0
 * unless it asks for keep-alive). A request it cannot read is answered as API Gateway answers one,
 * 400 {@code {"message":"Bad Request"}}, and its connection closed (where it ends is unknown); a body
 * over API Gateway's 10 MB is read off and answered 413 {@code {"message":"Request Entity Too
 * Large"}}. Every other request goes to the handler.
 *
 * <p>A malformed target is the front's 400, not the function's problem: API Gateway decodes the
 * path and query parameters before it invokes anything, so a deployed function never sees a request
 * whose parameters do not decode, and a client never sees its problem+json for one.
 */
final class HttpFront implements AutoCloseable {

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** How long a connection may stay silent, between requests or within one, before it is closed. */
    private static final int IDLE_MILLIS = 30_000;
    private static final Pattern TOKEN = Pattern.compile("[-!#$%&'*+.^_`|~0-9A-Za-z]+");
    private static final Pattern OPTIONAL_WHITESPACE = Pattern.compile("^[ \t]+|[ \t]+$");
    /** What a path or a query may hold besides letters, digits and {@code %XX} (RFC 3986's pchar, "/" and "?"). */
    private static final String TARGET_SYMBOLS = "-._~!$&'()*+,;=:@/?";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** Framing is the front's to write: a function's own copies of these are dropped, as API Gateway does. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

    static final Response BAD_REQUEST = Response.json(400, "{\"message\":\"Bad Request\"}");
    static final Response TOO_LARGE = Response.json(413, "{\"message\":\"Request Entity Too Large\"}");

    /** A request as read: the target as sent (not decoded), header fields as sent and in order. */
    record Request(String method, String target, String protocol, List<Map.Entry<String, String>> headers, byte[] body,
                   InetSocketAddress remote, int localPort) {

        String rawPath() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        String rawQuery() {
            int query = target.indexOf('?');
            return query < 0 ? "" : target.substring(query + 1);
        }

        Request withBody(byte[] bytes) {
            return new Request(method, target, protocol, headers, bytes, remote, localPort);
        }

        /** The first value of the header {@code name} (any case), or null. */
        @Nullable String header(String name) {
            return headers.stream().filter(field -> field.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }

        private List<String> values(String name) {
            return headers.stream().filter(field -> field.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }
    }

    /** An answer: status, headers, cookies (one {@code Set-Cookie} each), body. A header that cannot be written is refused here. */
    record Response(int status, Map<String, String> headers, List<String> cookies, byte[] body) {

        Response {
            headers.forEach((name, value) -> {
                if (!TOKEN.matcher(name).matches() || !fieldValue(value)) {
                    throw new IllegalArgumentException("the header " + name + " cannot be written as it is");
                }
            });
            cookies.forEach(cookie -> {
                if (!fieldValue(cookie)) {
                    throw new IllegalArgumentException("a cookie cannot be written as it is");
                }
            });
        }

        static Response json(int status, String body) {
            return new Response(status, Map.of("content-type", "application/json"), List.of(), body.getBytes(UTF_8));
        }
    }

    /** Thrown where a request cannot be read as HTTP/1.1. */
    private static final class MalformedRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedRequestException() {
            super(null, null, false, false);
        }
    }

    private final ServerSocket server;
    private final Function<Request, Response> handler;
    private final ExecutorService threads;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    HttpFront(int port, Function<Request, Response> handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 128);
        // A thread per open connection: a kept-alive connection waits for its next request on its own.
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "http-api");
            thread.setDaemon(true);
            return thread;
        });
        Thread acceptor = new Thread(this::accept, "http-api-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                threads.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        connections.remove(socket);
                    }
                });
            } catch (IOException | RejectedExecutionException e) {
                if (!server.isClosed()) {
                    System.err.println("local API: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(IDLE_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            boolean open = true;
            while (open) {
                Request request;
                byte @Nullable [] body;
                try {
                    @Nullable List<String> head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    request = request(head, socket);
                    body = readBody(request, in, out);
                } catch (MalformedRequestException e) {
                    write(out, BAD_REQUEST, true, false);
                    return;
                }
                open = keepsOpen(request);
                write(out, body == null ? TOO_LARGE : handler.apply(request.withBody(body)), !request.method().equals("HEAD"), open);
            }
        } catch (IOException e) {
            // The client went away, or stayed silent too long: there is no one left to answer.
        } catch (RuntimeException e) {
            System.err.println("local API: " + e);
        }
    }

    /** The request line and the header lines, or null when the connection ended before a request began. */
    private static @Nullable List<String> readHead(InputStream in) throws IOException, MalformedRequestException {
        @Nullable String line;
        do {
            line = readLine(in, MAX_HEAD_BYTES);
            if (line == null) {
                return null;
            }
        } while (line.isEmpty()); // RFC 9112 section 2.2: empty lines before a request line are skipped
        List<String> head = new ArrayList<>(List.of(line));
        int size = line.length();
        while (!(line = requireLine(in, MAX_HEAD_BYTES - size)).isEmpty()) {
            head.add(line);
            size += line.length();
        }
        return head;
    }

    /** The request of {@code head}, without its body. */
    private static Request request(List<String> head, Socket socket) throws MalformedRequestException {
        String[] requestLine = head.getFirst().split(" ", -1);
        if (requestLine.length != 3 || !TOKEN.matcher(requestLine[0]).matches() || !isOriginForm(requestLine[1])
                || !(requestLine[2].equals("HTTP/1.1") || requestLine[2].equals("HTTP/1.0"))) {
            throw new MalformedRequestException();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String field : head.subList(1, head.size())) {
            int colon = field.indexOf(':');
            // A folded line starts with a space, which no field name holds.
            if (colon <= 0 || !TOKEN.matcher(field.substring(0, colon)).matches()) {
                throw new MalformedRequestException();
            }
            String value = OPTIONAL_WHITESPACE.matcher(field.substring(colon + 1)).replaceAll("");
            if (!fieldValue(value)) {
                throw new MalformedRequestException();
            }
            headers.add(Map.entry(field.substring(0, colon), value));
        }
        return new Request(requestLine[0], requestLine[1], requestLine[2], List.copyOf(headers), new byte[0],
                (InetSocketAddress) socket.getRemoteSocketAddress(), socket.getLocalPort());
    }

    /** The request's body, or null when it is over the limit: read off all the same, so the answer can be read. */
    private static byte @Nullable [] readBody(Request request, InputStream in, OutputStream out) throws IOException, MalformedRequestException {
        long length = contentLength(request);
        if (length != 0 && request.protocol().equals("HTTP/1.1") && "100-continue".equalsIgnoreCase(request.header("Expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1));
            out.flush();
        }
        return length < 0 ? readChunked(in) : readFixed(in, length);
    }

    /** RFC 9112's origin-form: an absolute path and an optional query, of the characters RFC 3986 allows there or {@code %XX}. */
    private static boolean isOriginForm(String target) {
        if (!target.startsWith("/")) {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || !isHexDigit(target.charAt(i + 1)) || !isHexDigit(target.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c >= 0x80 || !(Character.isLetterOrDigit(c) || TARGET_SYMBOLS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** A field value as RFC 9110 allows it: no control character but a tab (bytes 0x80-0xFF are obs-text). */
    private static boolean fieldValue(String value) {
        return value.chars().allMatch(c -> c == '\t' || c >= 0x20 && c != 0x7F && c <= 0xFF);
    }

    /** The body's length, -1 when it is chunked. */
    private static long contentLength(Request request) throws MalformedRequestException {
        List<String> encodings = request.values("Transfer-Encoding");
        List<String> lengths = request.values("Content-Length");
        if (!encodings.isEmpty()) {
            if (!lengths.isEmpty() || encodings.size() > 1 || !encodings.getFirst().equalsIgnoreCase("chunked")) {
                throw new MalformedRequestException();
            }
            return -1;
        }
        if (lengths.isEmpty()) {
            return 0;
        }
        if (lengths.stream().distinct().count() > 1 || !lengths.getFirst().matches("[0-9]{1,18}")) {
            throw new MalformedRequestException();
        }
        return Long.parseLong(lengths.getFirst());
    }

    private static byte @Nullable [] readFixed(InputStream in, long length) throws IOException {
        if (length > MAX_BODY_BYTES) {
            discard(in, length);
            return null;
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("the request ended in its body");
        }
        return body;
    }

    private static void discard(InputStream in, long length) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        for (long left = length; left > 0; ) {
            int read = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (read < 0) {
                throw new EOFException("the request ended in its body");
            }
            left -= read;
        }
    }

    private static byte @Nullable [] readChunked(InputStream in) throws IOException, MalformedRequestException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long total = 0;
        while (true) {
            String sizeLine = requireLine(in, MAX_HEAD_BYTES);
            int extension = sizeLine.indexOf(';');
            String size = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip();
            if (!size.matches("[0-9A-Fa-f]{1,8}")) {
                throw new MalformedRequestException();
            }
            long chunk = Long.parseLong(size, 16);
            if (chunk == 0) {
                break;
            }
            total += chunk;
            if (total > MAX_BODY_BYTES) {
                discard(in, chunk);
            } else {
                body.write(in.readNBytes((int) chunk));
            }
            if (!requireLine(in, MAX_HEAD_BYTES).isEmpty()) {
                throw new MalformedRequestException();
            }
        }
        while (!requireLine(in, MAX_HEAD_BYTES).isEmpty()) {
            // trailer fields: nothing API Gateway passes on
        }
        return total > MAX_BODY_BYTES ? null : body.toByteArray();
    }

    private static String requireLine(InputStream in, int limit) throws IOException, MalformedRequestException {
        @Nullable String line = readLine(in, limit);
        if (line == null) {
            throw new EOFException("the request ended in its head");
        }
        return line;
    }

    /** A line ended by LF (a CR before it dropped) as ISO-8859-1, or null at the end of the stream before its first byte. */
    private static @Nullable String readLine(InputStream in, int limit) throws IOException, MalformedRequestException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException("the request ended in a line");
            }
            if (line.length() >= limit) {
                throw new MalformedRequestException();
            }
            line.append((char) b);
        }
        if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }

    private static boolean keepsOpen(Request request) {
        @Nullable String connection = request.header("Connection");
        List<String> options = connection == null ? List.of() : List.of(connection.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
        return request.protocol().equals("HTTP/1.1") ? !options.contains("close") : options.contains("keep-alive");
    }

    private static void write(OutputStream out, Response response, boolean withBody, boolean open) throws IOException {
        int status = response.status();
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        head.append("Date: ").append(HTTP_DATE.format(Instant.now())).append("\r\n");
        response.headers().forEach((name, value) -> {
            if (!FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        response.cookies().forEach(cookie -> head.append("Set-Cookie: ").append(cookie).append("\r\n"));
        head.append("apigw-requestid: ").append(UUID.randomUUID()).append("\r\n");
        boolean bodiless = status == 204 || status == 304;
        if (!bodiless) {
            head.append("Content-Length: ").append(response.body().length).append("\r\n");
        }
        head.append(open ? "Connection: keep-alive\r\n" : "Connection: close\r\n").append("\r\n");
        out.write(head.toString().getBytes(ISO_8859_1));
        if (!bodiless && withBody) {
            out.write(response.body());
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("local API: " + e);
        }
        connections.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        });
        threads.shutdownNow();
    }
}
