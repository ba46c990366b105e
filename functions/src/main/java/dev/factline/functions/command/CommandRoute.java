package dev.factline.functions.command;

import java.util.Objects;

/**
 * What one command route does with a request: read it into a command bound to its stream.
 *
 * @param bodyOptional whether the body may be left out (a command with nothing to say, such as a
 *     shipment); it is then read as {@code {}}
 */
public record CommandRoute(boolean bodyOptional, Parser parser) {

    /** Reads a request's input into a command; refuses with a {@code ProblemException}. */
    @FunctionalInterface
    public interface Parser {

        BoundCommand<?> parse(CommandInput input);
    }

    public CommandRoute {
        Objects.requireNonNull(parser, "parser");
    }

    public static CommandRoute withBody(Parser parser) {
        return new CommandRoute(false, parser);
    }

    public static CommandRoute bodyOptional(Parser parser) {
        return new CommandRoute(true, parser);
    }
}
