package dev.factline.local;

import dev.factline.local.HttpFront.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The event explorer, {@code GET /_explorer/}: a page of plain HTML, CSS and JavaScript (no build
 * step) from {@code localstack/src/main/resources/explorer/}, which reads the API's documented
 * routes and the local pipeline's {@code /_local/} ones from the same origin. Served as files from
 * the class path; {@code /_explorer} without the slash is redirected to it, so the page's relative
 * links resolve. The content security policy allows only this origin: the page loads nothing
 * from elsewhere and runs no inline script.
 */
final class ExplorerPage {

    static final String PATH = "/_explorer/";
    static final String ROUTE = "GET /_explorer";

    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]{1,64}\\.(html|css|js|png)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "png", "image/png");

    private ExplorerPage() {
    }

    /** The asset at {@code /_explorer} + {@code rest}: {@code /} is the page itself. */
    static Response asset(String rest) {
        if (rest.isEmpty()) {
            return new Response(301, Map.of("location", PATH), List.of(), new byte[0]);
        }
        String name = rest.equals("/") ? "index.html" : rest.substring(1);
        if (!ASSET.matcher(name).matches()) {
            return PublishedContracts.notFound(PATH + name, "the explorer has no such file; open " + PATH);
        }
        byte[] body;
        try (InputStream in = ExplorerPage.class.getClassLoader().getResourceAsStream("explorer/" + name)) {
            if (in == null) {
                return PublishedContracts.notFound(PATH + name, "the explorer has no such file; open " + PATH);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read explorer/" + name, e);
        }
        return new Response(200, Map.of(
                "content-type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)),
                "cache-control", "no-cache",
                "x-content-type-options", "nosniff",
                "content-security-policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"), List.of(), body);
    }
}
