package dev.factline.functions.command;

import java.util.Objects;

/**
 * What one command route does with a request: read it into a command bound to its stream.
 *
 * @param bodyOptional whether the body may be left out (a command with nothing to say, such as a
 *     shipment); it is then read as {@code {}}
 * @param maxBodyBytes the largest body read; a larger one is refused (413) before it is parsed
 */
public record CommandRoute(boolean bodyOptional, int maxBodyBytes, Parser parser) {

    /** Commands are small; anything larger is refused before it is parsed, unless the route says otherwise. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    /**
     * Lambda takes a synchronous request of 6 MB at most, API Gateway's event around the body
     * included: a route may read up to 5 MiB.
     */
    public static final int LARGEST_MAX_BODY_BYTES = 5 * 1024 * 1024;

    /** Reads a request's input into a command; refuses with a {@code ProblemException}. */
    @FunctionalInterface
    public interface Parser {

        BoundCommand<?> parse(CommandInput input);
    }

    public CommandRoute {
        Objects.requireNonNull(parser, "parser");
        if (maxBodyBytes < 1 || maxBodyBytes > LARGEST_MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a command route reads a body of 1-" + LARGEST_MAX_BODY_BYTES + " bytes at most, not " + maxBodyBytes);
        }
    }

    public static CommandRoute withBody(Parser parser) {
        return new CommandRoute(false, DEFAULT_MAX_BODY_BYTES, parser);
    }

    public static CommandRoute bodyOptional(Parser parser) {
        return new CommandRoute(true, DEFAULT_MAX_BODY_BYTES, parser);
    }

    /** This route reading bodies of up to {@code bytes}: for a command that carries a large text (a description, a document). */
    public CommandRoute withMaxBodyBytes(int bytes) {
        return new CommandRoute(bodyOptional, bytes, parser);
    }
}
