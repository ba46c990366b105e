package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.factline.account.AccountView;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildProgress;
import dev.factline.functions.rebuild.RebuildTarget;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.HostedReadModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer page in a real headless Chromium (the machine's, driven by its chromedriver through
 * Selenium) against the embedded pipeline: each screen used as a person would (typing, clicking,
 * moving the slider with the keyboard), what it shows checked against the API, and a screenshot of
 * each written to {@code target/explorer-screenshots/}. Skipped, saying why, where no Chromium is
 * installed ({@code .ci/run} installs it).
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplorerBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("factline.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("factline.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "explorer-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ids of this run's streams start with it, so a prefix search finds exactly them. */
    private static final String RUN = "x" + UUID.randomUUID().toString().substring(0, 6);
    private static final String ACCOUNT = RUN + "-a-1";
    private static final String ORDER = RUN + "-o-1";

    private static LocalPipeline pipeline;
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void browserAndStreams() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium here (" + CHROMIUM + " and " + CHROMEDRIVER + "): apt-get install chromium chromium-driver, as .ci/run does");
        Assumptions.assumeTrue(FactlineApi.isEmbedded(), "the explorer is the embedded pipeline's page, and FACTLINE_API_URL names another API");
        pipeline = FactlineApi.embedded();
        FactlineApi.url();
        profile = Files.createTempDirectory("explorer-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium's own connections get refused here and slow it down.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);

        command("/accounts", "{\"accountId\":\"" + ACCOUNT + "\",\"ownerId\":\"ada\",\"currency\":\"EUR\"}");
        command("/accounts/" + ACCOUNT + "/deposits", "{\"amount\":{\"minorUnits\":5000,\"currency\":\"EUR\"},\"reference\":\"salary\"}");
        command("/accounts/" + ACCOUNT + "/withdrawals", "{\"amount\":{\"minorUnits\":1200,\"currency\":\"EUR\"}}");
        command("/accounts", "{\"accountId\":\"" + RUN + "-a-2\",\"ownerId\":\"bob\",\"currency\":\"EUR\"}");
        command("/orders", "{\"orderId\":\"" + ORDER + "\",\"customerId\":\"ada\",\"accountId\":\"" + ACCOUNT + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"book\",\"quantity\":2,\"unitPrice\":{\"minorUnits\":900,\"currency\":\"EUR\"}}]}");
        // The saga debits the account for the order (version 4), and the catalogue lists both accounts.
        eventually(WAIT, () -> get("/accounts/" + ACCOUNT + "/events").json().get("events").size(), events -> events == 4);
        eventually(WAIT, () -> get("/streams?type=account&prefix=" + RUN).json(), page -> page.path("counts").path("account").asInt() == 2
                && page.path("streams").path(0).path("version").asInt() == 4);
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void command(String path, String body) {
        FactlineApi.Answer answer = post(path, body);
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }

    /** Loads the page afresh, so nothing of the screen before can be mistaken for this one's. */
    private static void open(String fragment) {
        browser.get("about:blank");
        browser.get(FactlineApi.url() + ExplorerFunction.INDEX + fragment);
    }

    private static WebElement waitFor(By what) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private static void waitUntilText(By what, String text) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(what, text));
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("the page shows no JSON: " + text, e);
        }
    }

    @Test
    void an_account_found_by_prefix_opens_its_history_most_recently_changed_first() {
        open("#/streams");
        waitFor(By.cssSelector("a[data-type=account]"));
        WebElement prefix = browser.findElement(By.id("prefix"));
        prefix.sendKeys(RUN + "-a");
        browser.findElement(By.id("search")).click();

        waitUntilText(By.id("count"), "2 account streams with an id starting " + RUN + "-a");
        List<String> listed = browser.findElements(By.cssSelector("#streams a.stream")).stream().map(WebElement::getText).toList();
        assertThat(listed).as("the debited account changed last").containsExactly("account#" + ACCOUNT, "account#" + RUN + "-a-2");
        screenshot("1-streams");

        browser.findElement(By.linkText("account#" + ACCOUNT)).click();

        waitFor(By.cssSelector("#history tbody tr"));
        List<String> types = browser.findElements(By.cssSelector("#history tbody tr td:nth-child(2)")).stream().map(WebElement::getText).toList();
        assertThat(types).containsExactly("AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "AccountDebited");
        screenshot("2-history");
    }

    @Test
    void the_slider_shows_the_view_the_api_answers_as_of_each_version() {
        open("#/stream/account/" + ACCOUNT + "?version=1");
        WebElement slider = waitFor(By.id("version"));
        waitFor(By.cssSelector("#view-json[data-version='1']"));
        for (int version = 1; version <= 4; version++) {
            if (version > 1) {
                slider.sendKeys(Keys.ARROW_RIGHT);
            }
            WebElement shown = waitFor(By.cssSelector("#view-json[data-version='" + version + "']"));
            JsonNode expected = get("/accounts/" + ACCOUNT + "?atVersion=" + version).json();
            JsonNode view = parse(shown.getText());
            assertThat(view).as("the view at version %d", version).isEqualTo(expected);
            assertThat(view.get("balance").get("minorUnits").asLong()).isEqualTo(expected.get("balance").get("minorUnits").asLong());
            if (version == 3) {
                assertThat(browser.findElement(By.id("change")).getText()).contains("MoneyWithdrawn", "balance.minorUnits", "5000", "3800");
                screenshot("3-time-travel");
            }
        }
        assertThat(browser.getCurrentUrl()).endsWith("?version=4");
    }

    @Test
    void the_date_picker_shows_the_view_the_api_answers_as_of_that_second() {
        String opened = get("/accounts/" + ACCOUNT + "/events").json().get("events").get(0).get("occurredAt").asText();
        String second = Instant.parse(opened).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
        long expected = get("/accounts/" + ACCOUNT + "?asOf=" + second).json().get("version").asLong();
        open("#/stream/account/" + ACCOUNT + "?version=4");
        WebElement picker = waitFor(By.id("as-of"));
        waitFor(By.cssSelector("#view-json[data-version='4']"));
        // A datetime-local field types in the browser's locale; its value is always ISO, so it is set as such.
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", picker, second.substring(0, 19));
        browser.findElement(By.id("go")).click();

        waitFor(By.cssSelector("#view-json[data-version='" + expected + "']"));
        assertThat(((Number) ((JavascriptExecutor) browser).executeScript("return Number(document.getElementById('version').value)")).longValue())
                .isEqualTo(expected);
    }

    @Test
    void a_saga_caused_event_links_back_to_the_order_event_behind_it() {
        JsonNode debit = get("/accounts/" + ACCOUNT + "/events").json().get("events").get(3);
        JsonNode placed = get("/orders/" + ORDER + "/events").json().get("events").get(0);
        assertThat(debit.get("metadata").get("causationId").asText()).isEqualTo(placed.get("eventId").asText());
        open("#/stream/account/" + ACCOUNT);

        WebElement cause = waitFor(By.cssSelector("#history tr[data-version='4'] a.cause-link"));
        assertThat(cause.getText()).isEqualTo("OrderPlaced of order#" + ORDER + " (version 1)");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", cause);
        screenshot("4-saga-cause");
        cause.click();

        waitUntilText(By.tagName("h2"), "order#" + ORDER);
        waitFor(By.cssSelector("#history tr.selected[data-version='1']"));
        assertThat(browser.getCurrentUrl()).endsWith("#/stream/order/" + ORDER + "?version=1");
        screenshot("4-the-order-behind-it");
    }

    @Test
    void the_lag_chart_moves_with_a_burst_of_writes() {
        open("#/lag");
        WebElement chart = waitFor(By.id("lag-chart"));
        new WebDriverWait(browser, WAIT).until(driver -> Integer.parseInt(chart.getDomAttribute("data-samples")) >= 2);
        String projectorBatchBefore = projectorBatchEnded();
        int samplesBefore = Integer.parseInt(chart.getDomAttribute("data-samples"));

        // 120 deposits over 4 accounts: each stays under the snapshot interval (100), whose snapshot items a
        // rebuild's scan in the same JVM (RebuildAcceptanceIT) cannot yet take as a page's last key.
        for (int account = 0; account < 4; account++) {
            String burst = RUN + "-burst-" + account;
            command("/accounts", "{\"accountId\":\"" + burst + "\",\"ownerId\":\"cy\",\"currency\":\"EUR\"}");
            for (int deposit = 0; deposit < 30; deposit++) {
                command("/accounts/" + burst + "/deposits", "{\"amount\":{\"minorUnits\":1,\"currency\":\"EUR\"}}");
            }
        }

        new WebDriverWait(browser, WAIT).until(driver -> Integer.parseInt(chart.getDomAttribute("data-max-behind")) > 0);
        new WebDriverWait(browser, WAIT).until(driver -> !projectorBatchEnded().equals(projectorBatchBefore));
        assertThat(Integer.parseInt(chart.getDomAttribute("data-samples"))).isGreaterThan(samplesBefore);
        screenshot("5-lag");
    }

    /**
     * A rebuild of the account view started on the running pipeline (the replay tool's engine, in this JVM), slowed to last
     * some seconds whatever the event table holds: the Projections screen shows it running, its progress moving, then complete.
     */
    @Test
    void a_rebuild_started_on_the_pipeline_shows_its_progress_until_it_is_complete() throws Exception {
        for (int account = 0; account < 3; account++) {
            String rebuilt = RUN + "-rebuilt-" + account;
            command("/accounts", "{\"accountId\":\"" + rebuilt + "\",\"ownerId\":\"fay\",\"currency\":\"EUR\"}");
            for (int deposit = 0; deposit < 15; deposit++) {
                command("/accounts/" + rebuilt + "/deposits", "{\"amount\":{\"minorUnits\":2,\"currency\":\"EUR\"}}");
            }
        }
        open("#/lag");
        waitFor(By.id("rebuilds-summary"));
        String space = AccountView.MODEL.space();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Rebuild.Summary> rebuild = runner.submit(() -> new Rebuild(pipeline.dynamo(), pipeline.topology().eventTable(),
                    pipeline.topology().readTable(), Clock.systemUTC(), "explorer-browser-test")
                    .run(RebuildTarget.of(HostedReadModels.STANDARD, AccountView.MODEL.name(), AccountView.MODEL.version()), slowRebuild(),
                            new RebuildProgress()));

            By running = By.cssSelector("#rebuilds tr[data-space='" + space + "'][data-state='running']");
            waitFor(running);
            // The table is built again at every poll: a row read a moment ago may be gone, so each look is retried.
            long firstItems = polled().until(driver -> itemsShown(running));
            polled().until(driver -> itemsShown(running) > firstItems);
            String progress = polled().until(driver -> driver.findElement(running).findElement(By.className("progress")).getText());
            assertThat(progress).contains("of 2 segments done", "segment 0: ", "segment 1: ");
            assertThat(browser.findElement(By.id("rebuilds-summary")).getText()).contains("1 rebuild is running", "account-view v1");
            screenshot("12-rebuild-running");

            assertThat(rebuild.get(2, TimeUnit.MINUTES).complete()).isTrue();
            By complete = By.cssSelector("#rebuilds tr[data-space='" + space + "'][data-state='complete']");
            String state = polled().until(driver -> driver.findElement(complete).findElement(By.className("state")).getText());
            assertThat(state).isEqualTo("complete");
            assertThat(get("/rebuilds").json().toString()).contains("\"space\":\"" + space + "\",\"rebuild\":{\"state\":\"complete\"");
            screenshot("13-rebuild-complete");
        } finally {
            runner.shutdownNow();
        }
    }

    /** About 40 pages over 2 segments, their read units spent over about 8 s, from what DescribeTable says the table holds. */
    private static Rebuild.Settings slowRebuild() {
        var table = pipeline.dynamo().describeTable(describe -> describe.tableName(pipeline.topology().eventTable().name())).table();
        int pageSize = (int) Math.max(5, table.itemCount() / 40);
        double readUnits = table.tableSizeBytes() / 8192.0 + 40 * 0.5;
        return new Rebuild.Settings(2, pageSize, readUnits / 8, Duration.ofSeconds(30));
    }

    private static WebDriverWait polled() {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static long itemsShown(By row) {
        return Long.parseLong(browser.findElement(row).findElement(By.className("items")).getText());
    }

    /**
     * The page behind a stand-in for API Gateway's JWT authorizer, on a deployment whose page is open
     * (-c openExplorerPage=true): the page's files pass, every other route wants {@code Authorization: Bearer <the token>} and
     * answers as API Gateway does without it, 401 {"message":"Unauthorized"}. Checking the token's signature is API Gateway's
     * part; the page's is to say what is wanted, refuse what is not a JWT, and send the token on every request.
     */
    @Test
    void behind_a_jwt_authorizer_the_page_asks_for_a_token_refuses_what_is_not_one_and_sends_the_one_it_is_given() throws IOException {
        String jwt = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url("{\"sub\":\"ops\",\"aud\":\"factline-api\"}")
                + "." + base64Url("a signature API Gateway would check");
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer gate = jwtGate(jwt, authorizations);
        try {
            browser.get("about:blank");
            browser.get("http://127.0.0.1:" + gate.getAddress().getPort() + ExplorerFunction.INDEX + "#/streams");
            waitUntilText(By.cssSelector(".problem"), "The API wants a token (401 Unauthorized) for GET /streams");
            screenshot("14-jwt-token-wanted");

            WebElement field = browser.findElement(By.id("token"));
            field.sendKeys("not a token");
            browser.findElement(By.id("token-use")).click();
            waitUntilText(By.id("token-refused"), "That is not a JWT");
            assertThat(browser.findElement(By.id("token-state")).getText()).isEqualTo("no token");

            field.clear();
            field.sendKeys("Bearer " + jwt);
            browser.findElement(By.id("token-use")).click();
            waitFor(By.cssSelector("a[data-type=account]"));
            assertThat(browser.findElement(By.id("token-state")).getText()).isEqualTo("a token is set for this tab");
            assertThat(browser.findElements(By.id("token-refused"))).isEmpty();
            assertThat(authorizations).anyMatch(seen -> seen.startsWith("GET /streams?") && seen.endsWith(" Bearer " + jwt));
            screenshot("15-jwt-token-used");

            open(gate, "#/stream/account/" + ACCOUNT);
            waitFor(By.cssSelector("#history tbody tr"));
            assertThat(authorizations).as("the history, after a reload: the token is kept for the tab")
                    .anyMatch(seen -> seen.startsWith("GET /accounts/" + ACCOUNT + "/events?") && seen.endsWith(" Bearer " + jwt));

            browser.findElement(By.id("token-forget")).click();
            waitUntilText(By.cssSelector(".problem"), "The API wants a token (401 Unauthorized)");
        } finally {
            gate.stop(0);
        }
    }

    private static void open(HttpServer gate, String fragment) {
        browser.get("http://127.0.0.1:" + gate.getAddress().getPort() + ExplorerFunction.INDEX + "?again" + fragment);
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Forwards to the pipeline what carries {@code Bearer <jwt>} (and the page's files, open), each seen noted as "METHOD path-and-query authorization". */
    private static HttpServer jwtGate(String jwt, List<String> seen) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        HttpServer gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gate.createContext("/", exchange -> {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + target + " " + authorization);
            boolean page = exchange.getRequestURI().getRawPath().startsWith(ExplorerFunction.PAGE);
            if (!page && !("Bearer " + jwt).equals(authorization)) {
                byte[] refused = "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, refused.length);
                exchange.getResponseBody().write(refused);
                exchange.close();
                return;
            }
            try {
                HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(FactlineApi.url().resolve(target))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("content-type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                answer.headers().firstValue("content-security-policy").ifPresent(policy -> exchange.getResponseHeaders().add("Content-Security-Policy", policy));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        gate.start();
        return gate;
    }

    /** When the projector's last batch ended, as the page has it (empty before its first). */
    private static String projectorBatchEnded() {
        String ended = browser.findElement(By.cssSelector("#lag tr[data-function=projector] .batch-ended")).getDomAttribute("data-ended");
        return ended == null ? "" : ended;
    }

    /** Last: the read table it drops and creates again takes the other tests' catalogue rows with it. */
    @Test
    @Order(Integer.MAX_VALUE)
    void a_parked_record_is_redriven_after_a_confirmation() {
        String table = pipeline.topology().readTable().name();
        pipeline.dynamo().deleteTable(delete -> delete.tableName(table));
        String account = RUN + "-parked";
        try {
            eventually(WAIT, ExplorerBrowserIT::readTableExists, exists -> !exists);
            command("/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"di\",\"currency\":\"EUR\"}");
            eventually(Duration.ofSeconds(30), () -> parkedWith(account), parked -> parked);
        } finally {
            pipeline.dynamo().createTable(pipeline.topology().readTable().createTableRequest());
            eventually(WAIT, ExplorerBrowserIT::readTableExists, exists -> exists);
        }
        open("#/parked");
        waitFor(By.linkText("account#" + account));
        assertThat(browser.findElement(By.id("parked")).getText()).contains("projector", "RetryAttemptsExhausted", "in a row");
        screenshot("6-parked");

        browser.findElement(By.id("redrive")).click();
        waitFor(By.id("confirm"));
        browser.findElement(By.id("confirm-cancel")).click();
        waitUntilText(By.id("redrive-outcome"), "Nothing was re-driven.");
        assertThat(parkedWith(account)).isTrue();

        browser.findElement(By.id("redrive")).click();
        waitFor(By.id("confirm-text"));
        screenshot("7-redrive-confirmation");
        browser.findElement(By.id("confirm-ok")).click();

        waitUntilText(By.id("redrive-report"), "applied");
        assertThat(parkedWith(account)).isFalse();
        assertThat(browser.findElements(By.linkText("account#" + account))).isEmpty();
        assertThat(eventually(WAIT, () -> get("/accounts/" + account).status(), status -> status == 200)).isEqualTo(200);
        screenshot("8-redriven");
    }

    private static boolean parkedWith(String account) {
        return pipeline.parked().all().stream().anyMatch(batch -> batch.function().equals(Topology.PROJECTOR)
                && batch.records().toString().contains(account));
    }

    private static boolean readTableExists() {
        return RedriveIT.readTableExists(pipeline);
    }

    @Nested
    class Bad_input_is_said_in_words {

        @Test
        void an_unknown_stream() {
            open("#/stream/account/" + RUN + "-nobody");

            waitUntilText(By.id("history-problem"), "there is no account '" + RUN + "-nobody'");
            screenshot("9-unknown-stream");
        }

        @Test
        void an_unknown_stream_type() {
            open("#/stream/ledger/l-1");

            waitUntilText(By.id("history-problem"), "There is no stream type 'ledger': the API hosts account, order, product, subject.");
        }

        @Test
        void a_version_that_is_no_number() {
            open("#/stream/account/" + ACCOUNT + "?version=abc");

            waitUntilText(By.id("version-problem"), "The address asks for version 'abc', which is not a version");
            waitFor(By.cssSelector("#view-json[data-version='4']"));
            screenshot("10-bad-version");
        }

        @Test
        void a_version_past_the_end() {
            open("#/stream/account/" + ACCOUNT + "?version=99");

            waitUntilText(By.id("version-problem"), "account#" + ACCOUNT + " has 4 versions, so there is no version 99.");
        }

        @Test
        void an_address_that_names_no_screen() {
            open("#/ledgers");

            waitUntilText(By.cssSelector(".problem"), "names no screen of the explorer");
        }

        /** The page from a server that then goes away, as a pipeline stopped behind an open page does. */
        @Test
        void an_api_that_is_down() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = new ExplorerFunction().files().get(exchange.getRequestURI().getPath().substring("/_explorer/".length()));
                String path = exchange.getRequestURI().getPath();
                exchange.getResponseHeaders().add("Content-Type", path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css" : "text/html");
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
            try {
                browser.get("http://127.0.0.1:" + server.getAddress().getPort() + ExplorerFunction.INDEX + "#/lag");
                waitFor(By.id("lag-chart"));
            } finally {
                server.stop(0);
            }
            browser.navigate().to(browser.getCurrentUrl().replace("#/lag", "#/streams"));

            waitUntilText(By.cssSelector(".problem"), "did not answer /streams");
            assertThat(browser.findElement(By.cssSelector(".problem")).getText()).contains("Is it still running?");
            screenshot("11-api-down");
        }
    }

    /** Navigation Timing of the page's loads, its median written beside the screenshots (not asserted: a figure, not a test). */
    @Test
    void the_page_loads_and_its_load_time_is_recorded() throws IOException {
        List<Double> loads = new ArrayList<>();
        for (int load = 0; load < 9; load++) {
            open("?load=" + load + "#/streams");
            waitFor(By.id("count"));
            Object millis = ((JavascriptExecutor) browser).executeScript(
                    "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : null;");
            if (millis instanceof Number number) {
                loads.add(number.doubleValue());
            }
        }
        assertThat(loads).hasSizeGreaterThan(5);
        Collections.sort(loads);
        double median = loads.get(loads.size() / 2);
        long bytes = new ExplorerFunction().files().values().stream().mapToLong(file -> file.length).sum();
        String figures = "explorer: " + bytes + " bytes (index.html, explorer.css, explorer.js); load (Navigation Timing, loadEventEnd - startTime) "
                + "median of " + loads.size() + ": " + Math.round(median * 10) / 10.0 + " ms; all: " + loads + "\n";
        Files.writeString(SCREENSHOTS.resolve("load-times.txt"), figures);
        System.out.print(figures);
    }
}
