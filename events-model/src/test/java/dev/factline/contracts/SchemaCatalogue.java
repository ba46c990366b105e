package dev.factline.contracts;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The committed catalogue: {@code schemas/<type>/<version>.json} under a root, each the schema of a
 * version as it was published. The files are the truth for every version they hold; the code only
 * ever generates the current one.
 */
record SchemaCatalogue(List<EventContract> contracts) {

    /** Where the catalogue lives in the source tree, relative to the events-model module. */
    static final Path COMMITTED = Path.of("src/main/resources/contracts");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    private static final Pattern FILE = Pattern.compile("schemas/([A-Z][A-Za-z0-9]*)/([1-9][0-9]*)\\.json");

    SchemaCatalogue {
        contracts = contracts.stream().sorted(Comparator.comparing(EventContract::type).thenComparing(EventContract::version)).toList();
    }

    /** Every schema file under {@code root}; a file elsewhere in {@code schemas/} or named otherwise is refused, naming it. */
    static SchemaCatalogue read(Path root) {
        Path schemas = root.resolve("schemas");
        if (!Files.isDirectory(schemas)) {
            return new SchemaCatalogue(List.of());
        }
        List<EventContract> contracts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(schemas)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                Matcher name = FILE.matcher(relative);
                if (!name.matches()) {
                    throw new IllegalStateException(relative + " is not a schema file: the catalogue holds only schemas/<EventType>/<version>.json");
                }
                JsonNode schema = JSON.readTree(file.toFile());
                if (!(schema instanceof ObjectNode object)) {
                    throw new IllegalStateException(relative + " is not a JSON object");
                }
                contracts.add(new EventContract(name.group(1), Integer.parseInt(name.group(2)), object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue under " + root, e);
        }
        return new SchemaCatalogue(contracts);
    }

    static Path file(Path root, String type, int version) {
        return root.resolve("schemas").resolve(type).resolve(version + ".json");
    }

    /** Writes {@code json} as the catalogue's files are written: two-space indents, a final newline. */
    static void write(Path file, JsonNode json) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String text(JsonNode json) {
        try {
            return PRETTY.writeValueAsString(json) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<EventContract> find(String type, int version) {
        return contracts.stream().filter(contract -> contract.type().equals(type) && contract.version() == version).findFirst();
    }

    List<EventContract> versionsOf(String type) {
        return contracts.stream().filter(contract -> contract.type().equals(type)).toList();
    }
}
