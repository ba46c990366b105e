package dev.factline.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The repository's Markdown pages keep their relative links: every file a link names exists, every
 * {@code #anchor} into a page is one of its headings (as GitHub derives them), and the overview indexes
 * every decision record. Links in code fences and inline code are not links, and URLs with a scheme
 * are left to their owners.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DocumentationLinksTest {

    private static final Path ROOT = repositoryRoot();
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\n]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Set<String> SKIPPED_FOLDERS = Set.of("node_modules", "target", "cdk.out");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void every_relative_link_names_a_file_that_exists_and_a_heading_it_has() {
        List<String> broken = new ArrayList<>();
        for (Path page : markdownPages()) {
            for (String target : links(read(page))) {
                String problem = problem(page, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void the_overview_indexes_every_decision_record() throws IOException {
        Path overview = ROOT.resolve("docs/ARCHITECTURE.md");
        Set<String> indexed = new TreeSet<>(links(read(overview)));
        Set<String> unindexed = new TreeSet<>();
        try (Stream<Path> records = Files.list(ROOT.resolve("docs/decisions"))) {
            records.map(record -> "decisions/" + record.getFileName())
                    .filter(record -> record.endsWith(".md") && !indexed.contains(record))
                    .forEach(unindexed::add);
        }
        assertThat(unindexed).as("decision records docs/ARCHITECTURE.md's index does not link (add a line each)").isEmpty();
    }

    @Test
    void a_heading_becomes_the_anchor_github_gives_it() {
        assertThat(anchor("The projector, step by step")).isEqualTo("the-projector-step-by-step");
        assertThat(anchor("`StreamView` and `Tally`: read models")).isEqualTo("streamview-and-tally-read-models");
        assertThat(anchor("Logs, metrics and timeouts")).isEqualTo("logs-metrics-and-timeouts");
    }

    private @Nullable String problem(Path page, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
            return "no such file";
        }
        if (hash >= 0 && resolved.toString().endsWith(".md")
                && !anchors.computeIfAbsent(resolved, DocumentationLinksTest::headings).contains(target.substring(hash + 1))) {
            return "no such heading";
        }
        return null;
    }

    private static List<Path> markdownPages() {
        List<Path> pages = new ArrayList<>();
        try {
            Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String name = dir.equals(ROOT) ? "" : dir.getFileName().toString();
                    return name.startsWith(".") || SKIPPED_FOLDERS.contains(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (file.toString().endsWith(".md")) {
                        pages.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    private static List<String> links(String markdown) {
        String prose = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher link = LINK.matcher(prose);
        while (link.find()) {
            if (!SCHEME.matcher(link.group(1)).find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    private static Set<String> headings(Path page) {
        Set<String> found = new TreeSet<>();
        Matcher heading = HEADING.matcher(FENCE.matcher(read(page)).replaceAll(""));
        while (heading.find()) {
            found.add(anchor(heading.group(1)));
        }
        return found;
    }

    /** GitHub's rule: lower case, punctuation other than hyphens and underscores dropped, spaces to hyphens. */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/ARCHITECTURE.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("found no docs/ARCHITECTURE.md at or above " + Path.of("").toAbsolutePath());
    }
}
