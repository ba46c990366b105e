package dev.factline.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code factline-local} was asked for: {@code [port] [--data DIR | --in-memory] [--reset]
 * [--concurrency N]}. The port: the argument, else {@code FACTLINE_PORT}, else 8080 (0 = any free
 * port). The data folder: {@code --data DIR}, else {@code .factline/} in the checkout;
 * {@code --in-memory} keeps nothing; {@code --reset} wipes the data folder and exits. The most
 * containers per function: {@code --concurrency N}, else {@link LocalPipeline#defaultConcurrency()}.
 *
 * @param data the data folder, null with {@code --in-memory}
 */
record LocalFlags(int port, @Nullable Path data, boolean reset, int concurrency) {

    /** The most containers {@code --concurrency} takes: each holds its own clients and threads, and the emulators saturate long before. */
    static final int MAX_CONCURRENCY = 256;

    static final String USAGE = "usage: ./factline-local [port] [--data DIR | --in-memory] [--reset] [--concurrency N]\n"
            + "  port             HTTP port (default: FACTLINE_PORT, else 8080; 0 = any free port)\n"
            + "  --data DIR       keep the tables, streams and trigger checkpoints in DIR (default: .factline/ in the checkout)\n"
            + "  --in-memory      keep nothing: everything goes when the pipeline stops\n"
            + "  --reset          wipe the data folder (the default one, or --data DIR) and exit\n"
            + "  --concurrency N  run up to N containers of each function at once, 1-" + MAX_CONCURRENCY
            + " (default: 4 per processor, here " + LocalPipeline.defaultConcurrency() + "; a function's lower reserved concurrency wins)";

    /** With the default concurrency. */
    LocalFlags(int port, @Nullable Path data, boolean reset) {
        this(port, data, reset, LocalPipeline.defaultConcurrency());
    }

    /** A command line that cannot be run, with what is wrong. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Reads the arguments; {@code defaultData} is the checkout's {@code .factline/}. */
    static LocalFlags parse(List<String> args, Map<String, String> environment, Path defaultData) {
        @Nullable String port = null;
        @Nullable Path data = null;
        boolean inMemory = false;
        boolean reset = false;
        @Nullable String concurrency = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data" -> {
                    if (i + 1 == args.size() || args.get(i + 1).startsWith("--") || args.get(i + 1).isBlank()) {
                        throw new UsageException("--data needs a folder: --data DIR");
                    }
                    if (data != null) {
                        throw new UsageException("--data is given twice");
                    }
                    data = Path.of(args.get(++i));
                }
                case "--in-memory" -> inMemory = true;
                case "--reset" -> reset = true;
                case "--concurrency" -> {
                    if (i + 1 == args.size() || args.get(i + 1).startsWith("--") || args.get(i + 1).isBlank()) {
                        throw new UsageException("--concurrency needs a number of containers: --concurrency N");
                    }
                    if (concurrency != null) {
                        throw new UsageException("--concurrency is given twice");
                    }
                    concurrency = args.get(++i);
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown flag " + arg);
                    }
                    if (port != null) {
                        throw new UsageException("one port only, not " + port + " and " + arg);
                    }
                    port = arg;
                }
            }
        }
        if (inMemory && data != null) {
            throw new UsageException("--data and --in-memory exclude each other: --in-memory keeps nothing, --data says where to keep it");
        }
        if (inMemory && reset) {
            throw new UsageException("--reset wipes a data folder; --in-memory has none");
        }
        String portText = port != null ? port : environment.getOrDefault("FACTLINE_PORT", "8080");
        return new LocalFlags(parsePort(portText, port != null ? "the port" : "FACTLINE_PORT"), inMemory ? null : data != null ? data : defaultData,
                reset, concurrency == null ? LocalPipeline.defaultConcurrency() : parseConcurrency(concurrency));
    }

    private static int parseConcurrency(String text) {
        String wanted = "--concurrency must be a whole number of containers from 1 to " + MAX_CONCURRENCY + ", not ";
        int concurrency;
        try {
            concurrency = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(wanted + "\"" + text + "\"");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new UsageException(wanted + concurrency);
        }
        return concurrency;
    }

    private static int parsePort(String text, String what) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a number from 0 to 65535 (0 = any free port), not \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException(what + " must be a number from 0 to 65535 (0 = any free port), not " + port);
        }
        return port;
    }
}
