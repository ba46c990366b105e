package dev.factline.functions.command;

import static dev.factline.functions.command.FunctionUnderTest.json;
import static dev.factline.functions.http.HttpApiEvents.post;
import static dev.factline.functions.http.HttpApiEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.functions.http.HttpApiEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests a client gets wrong, each with the status and problem type it must be answered with,
 * and none of which may reach the store. Account {@code a-1} (EUR) and order {@code o-1} exist, so
 * every refusal below is about the request itself, not about a missing stream.
 *
 * <p>The corpus ({@link #corpus()}), the requests that create the streams it needs
 * ({@link #streamsTheCorpusNeeds()}) and the check of each answer ({@link #assertRefusedWith})
 * are shared with {@code CommandFunctionIT}, which runs the same rows against DynamoDB.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BadRequestCorpusTest {

    private static final String DEPOSITS = "/accounts/a-1/deposits";
    private static final String EUR_100 = "{\"minorUnits\": 100, \"currency\": \"EUR\"}";
    private static final String GOOD_DEPOSIT = "{\"amount\": " + EUR_100 + "}";

    /** Class names, stack frames and the parser's own vocabulary have no place in a detail. */
    private static final String LEAKS = "(?s).*(\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*|Exception|\\bat [\\w.$]+\\(|\\.java\\b"
            + "|`|[Jj]ackson|JsonNode|ObjectNode|StreamRead|BigDecimal|BigInteger).*";

    /** Half of a UTF-16 pair, as JSON can spell one: no UTF-8 text can carry it, so no store or consumer can either. */
    private static final String LONE_SURROGATE = "\\ud800";

    private final FunctionUnderTest under = new FunctionUnderTest();

    /** The rows: a name, the request, its status and the slug of its problem type. */
    static Stream<Arguments> corpus() {
        return Stream.of(
                // ---- malformed bodies -------------------------------------------------------------------------------
                bad("truncated JSON", deposit("{\"amount\": "), 400, "invalid-request"),
                bad("unquoted member name", deposit("{amount: " + EUR_100 + "}"), 400, "invalid-request"),
                bad("single quotes", deposit("{'amount': " + EUR_100 + "}"), 400, "invalid-request"),
                bad("text after the object", deposit(GOOD_DEPOSIT + " and more"), 400, "invalid-request"),
                bad("two objects", deposit(GOOD_DEPOSIT + GOOD_DEPOSIT), 400, "invalid-request"),
                bad("a member named twice", deposit("{\"amount\": " + EUR_100 + ", \"amount\": " + EUR_100 + "}"), 400, "invalid-request"),
                bad("JSON null as the body", deposit("null"), 400, "invalid-request"),
                bad("a JSON array as the body", deposit("[" + GOOD_DEPOSIT + "]"), 400, "invalid-request"),
                bad("a JSON string as the body", deposit("\"deposit 100 EUR\""), 400, "invalid-request"),
                bad("a JSON number as the body", deposit("100"), 400, "invalid-request"),
                bad("an empty body where one is needed", deposit(""), 400, "invalid-request"),
                bad("a body of blanks", deposit("   \n  "), 400, "invalid-request"),
                bad("nesting a thousand arrays deep", deposit("[".repeat(5_000) + "]".repeat(5_000)), 400, "invalid-request"),
                bad("bytes that are not UTF-8", post(DEPOSITS).base64Json(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}),
                        400, "invalid-request"),
                bad("bytes that are not UTF-8, decoded to U+FFFD by a front that passes the body as text, which stored U+FFFD",
                        deposit(new String(notUtf8Reference(), StandardCharsets.UTF_8)), 400, "invalid-request"),
                bad("bytes that are not UTF-8, base64-encoded", post(DEPOSITS).base64Json(notUtf8Reference()), 400, "invalid-request"),
                bad("NaN as a number", amount("NaN"), 400, "invalid-request"),
                bad("a number with an exponent beyond any scale", amount("1e9999999999"), 400, "invalid-request"),
                // ---- wrong types, missing and unknown members -----------------------------------------------------------
                bad("amount as a number", deposit("{\"amount\": 100}"), 400, "invalid-request"),
                bad("amount as a string", deposit("{\"amount\": \"100 EUR\"}"), 400, "invalid-request"),
                bad("minorUnits as a string", amount("\"100\""), 400, "invalid-request"),
                bad("minorUnits as a boolean", amount("true"), 400, "invalid-request"),
                bad("minorUnits null", amount("null"), 400, "invalid-request"),
                bad("amount missing", deposit("{}"), 400, "invalid-request"),
                bad("currency missing from the amount", deposit("{\"amount\": {\"minorUnits\": 100}}"), 400, "invalid-request"),
                bad("currency as a number", deposit("{\"amount\": {\"minorUnits\": 100, \"currency\": 978}}"), 400, "invalid-request"),
                bad("a misspelt optional member", deposit("{\"amount\": " + EUR_100 + ", \"referance\": \"rent\"}"), 400, "invalid-request"),
                bad("an unknown member inside the amount", deposit("{\"amount\": {\"minorUnits\": 100, \"currency\": \"EUR\", \"scale\": 2}}"),
                        400, "invalid-request"),
                bad("reference as a number", deposit("{\"amount\": " + EUR_100 + ", \"reference\": 42}"), 400, "invalid-request"),
                bad("reference of blanks", deposit("{\"amount\": " + EUR_100 + ", \"reference\": \"   \"}"), 400, "invalid-request"),
                bad("reference over 100 characters", deposit("{\"amount\": " + EUR_100 + ", \"reference\": \"" + "r".repeat(101) + "\"}"),
                        400, "invalid-request"),
                // ---- amounts ----------------------------------------------------------------------------------------
                bad("a zero amount", amount("0"), 400, "invalid-request"),
                bad("a negative amount", amount("-100"), 400, "invalid-request"),
                bad("a fractional amount", amount("10.5"), 400, "invalid-request"),
                bad("a fraction in exponent form", amount("1e-2"), 400, "invalid-request"),
                bad("an integral decimal, 1.0, which was read as 1", amount("1.0"), 400, "invalid-request"),
                bad("an integer in exponent form, 1e3, which was read as 1000", amount("1e3"), 400, "invalid-request"),
                bad("a quantity of 2.0", placeOrder("[" + line("A", "2.0", "EUR") + "]"), 400, "invalid-request"),
                bad("one past the largest long", amount("9223372036854775808"), 400, "invalid-request"),
                bad("an amount of 1e30", amount("1e30"), 400, "invalid-request"),
                bad("an amount of thirty digits", amount("123456789012345678901234567890"), 400, "invalid-request"),
                bad("an unknown currency", deposit("{\"amount\": {\"minorUnits\": 100, \"currency\": \"XYZ\"}}"), 400, "invalid-request"),
                bad("a lower-case currency", deposit("{\"amount\": {\"minorUnits\": 100, \"currency\": \"eur\"}}"), 400, "invalid-request"),
                bad("a currency name for a code", deposit("{\"amount\": {\"minorUnits\": 100, \"currency\": \"Euro\"}}"), 400, "invalid-request"),
                bad("a zero payment", post("/orders/o-1/payment").json("{\"amount\": {\"minorUnits\": 0, \"currency\": \"EUR\"}}"),
                        400, "invalid-request"),
                bad("a withdrawal of a fraction", post("/accounts/a-1/withdrawals").json("{\"amount\": {\"minorUnits\": 0.5, \"currency\": \"EUR\"}}"),
                        400, "invalid-request"),
                // ---- ids ----------------------------------------------------------------------------------------------
                bad("ownerId missing", openAccount("{\"accountId\": \"a-2\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("ownerId as a number", openAccount("{\"accountId\": \"a-2\", \"ownerId\": 7, \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("currency missing when opening", openAccount("{\"accountId\": \"a-2\", \"ownerId\": \"o-1\"}"), 400, "invalid-request"),
                bad("an account id that injects a condition", openAccount(
                        "{\"accountId\": \"a) OR attribute_exists(pk\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("an account id that is an attribute name placeholder", openAccount(
                        "{\"accountId\": \"#pk\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("an account id that is a value placeholder", openAccount(
                        "{\"accountId\": \":v\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("an account id of 129 characters", openAccount(
                        "{\"accountId\": \"" + "a".repeat(129) + "\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("an empty account id", openAccount("{\"accountId\": \"\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("an owner id with a stream separator", openAccount(
                        "{\"accountId\": \"a-2\", \"ownerId\": \"account#a-1\", \"currency\": \"EUR\"}"), 400, "invalid-request"),
                bad("an injection in the path, percent-encoded", post("/accounts/a)%20OR%20attribute_exists(pk/deposits").json(GOOD_DEPOSIT),
                        400, "invalid-request"),
                bad("an injection in the path, raw", post("/accounts/a)OR(attribute_exists(pk)/deposits").json(GOOD_DEPOSIT), 400, "invalid-request"),
                bad("a placeholder in the path", post("/accounts/%23pk/deposits").json(GOOD_DEPOSIT), 400, "invalid-request"),
                bad("a path id of 129 characters", post("/accounts/" + "a".repeat(129) + "/deposits").json(GOOD_DEPOSIT), 400, "invalid-request"),
                bad("a dot-dot path id", post("/accounts/../deposits").json(GOOD_DEPOSIT), 400, "invalid-request"),
                bad("an empty path id", post("/accounts//deposits").json(GOOD_DEPOSIT), 400, "invalid-request"),
                // ---- orders ---------------------------------------------------------------------------------------------
                bad("an order without lines", placeOrder("[]"), 400, "invalid-request"),
                bad("an order of 101 lines", placeOrder(lines(101)), 400, "invalid-request"),
                bad("lines as an object", placeOrder(line("A", "1", "EUR")), 400, "invalid-request"),
                bad("a line that is a number", placeOrder("[" + line("A", "1", "EUR") + ", 7]"), 400, "invalid-request"),
                bad("a quantity of zero", placeOrder("[" + line("A", "0", "EUR") + "]"), 400, "invalid-request"),
                bad("a quantity over 10000", placeOrder("[" + line("A", "10001", "EUR") + "]"), 400, "invalid-request"),
                bad("a quantity as a string", placeOrder("[" + line("A", "\"2\"", "EUR") + "]"), 400, "invalid-request"),
                bad("a line priced in another currency", placeOrder("[" + line("A", "1", "EUR") + ", " + line("B", "1", "USD") + "]"),
                        400, "invalid-request"),
                bad("a sku with spaces", placeOrder("[" + line("BAD SKU", "1", "EUR") + "]"), 400, "invalid-request"),
                bad("an unknown member in a line", placeOrder("[{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": " + EUR_100 + ", \"discount\": 5}]"),
                        400, "invalid-request"),
                bad("customerId missing", post("/orders").json("{\"accountId\": \"a-1\", \"currency\": \"EUR\", \"lines\": " + lines(1) + "}"),
                        400, "invalid-request"),
                bad("a cancellation without a reason", post("/orders/o-1/cancellation").json("{}"), 400, "invalid-request"),
                bad("a blank cancellation reason", post("/orders/o-1/cancellation").json("{\"reason\": \" \"}"), 400, "invalid-request"),
                bad("a cancellation reason over 200 characters", post("/orders/o-1/cancellation").json("{\"reason\": \"" + "x".repeat(201) + "\"}"),
                        400, "invalid-request"),
                bad("a 200 KB cancellation reason", post("/orders/o-1/cancellation").json("{\"reason\": \"" + "x".repeat(200_000) + "\"}"),
                        400, "invalid-request"),
                bad("a shipment with members", post("/orders/o-1/shipment").json("{\"carrier\": \"fast\"}"), 400, "invalid-request"),
                // ---- headers ----------------------------------------------------------------------------------------------
                bad("If-Match that is a word", deposit(GOOD_DEPOSIT).header("If-Match", "\"latest\""), 400, "invalid-request"),
                bad("If-Match that is weak", deposit(GOOD_DEPOSIT).header("If-Match", "W/\"1\""), 400, "invalid-request"),
                bad("If-Match that is negative", deposit(GOOD_DEPOSIT).header("If-Match", "\"-1\""), 400, "invalid-request"),
                bad("If-Match of any version", deposit(GOOD_DEPOSIT).header("If-Match", "*"), 400, "invalid-request"),
                bad("If-Match of two versions", deposit(GOOD_DEPOSIT).header("If-Match", "\"1\", \"2\""), 400, "invalid-request"),
                bad("If-Match beyond a long", deposit(GOOD_DEPOSIT).header("If-Match", "\"99999999999999999999\""), 400, "invalid-request"),
                bad("If-Match with one quote", deposit(GOOD_DEPOSIT).header("If-Match", "\"1"), 400, "invalid-request"),
                bad("an Idempotency-Key under 8 characters", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "short"), 400, "invalid-request"),
                bad("an Idempotency-Key with spaces", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "key with spaces"), 400, "invalid-request"),
                bad("an Idempotency-Key of 129 characters", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "k".repeat(129)), 400, "invalid-request"),
                bad("an Idempotency-Key beyond ASCII", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "schlüssel-0001"), 400, "invalid-request"),
                bad("an Idempotency-Key ending in a control character", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "deposit-0001\u0001"),
                        400, "invalid-request"),
                bad("an Idempotency-Key ending in DEL", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "deposit-0001\u007f"), 400, "invalid-request"),
                bad("an Idempotency-Key ending in a tab", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "deposit-0001\t"), 400, "invalid-request"),
                bad("an Idempotency-Key holding a control character", deposit(GOOD_DEPOSIT).header("Idempotency-Key", "deposit\u0000-0001"),
                        400, "invalid-request"),
                // ---- routes and methods -------------------------------------------------------------------------------------
                bad("GET on the accounts", request("GET", "/accounts"), 405, "method-not-allowed"),
                bad("PUT on deposits", request("PUT", DEPOSITS).json(GOOD_DEPOSIT), 405, "method-not-allowed"),
                bad("DELETE on a cancellation", request("DELETE", "/orders/o-1/cancellation"), 405, "method-not-allowed"),
                bad("PATCH on the orders", request("PATCH", "/orders").json("{}"), 405, "method-not-allowed"),
                bad("a lower-case method", request("post", DEPOSITS).json(GOOD_DEPOSIT), 405, "method-not-allowed"),
                bad("POST on an account itself", post("/accounts/a-1").json(GOOD_DEPOSIT), 404, "not-found"),
                bad("an unknown command", post("/accounts/a-1/transfers").json(GOOD_DEPOSIT), 404, "not-found"),
                bad("a trailing slash", post("/accounts/").json("{}"), 404, "not-found"),
                bad("the root", post("/").json("{}"), 404, "not-found"),
                bad("a path in other case", post("/Accounts/a-1/deposits").json(GOOD_DEPOSIT), 404, "not-found"),
                bad("a path one segment too deep", post("/accounts/a-1/deposits/1").json(GOOD_DEPOSIT), 404, "not-found"),
                // ---- media types, sizes, encodings -------------------------------------------------------------------------
                bad("a text/plain body", post(DEPOSITS).header("Content-Type", "text/plain").body(GOOD_DEPOSIT), 415, "unsupported-media-type"),
                bad("a body without a Content-Type", post(DEPOSITS).body(GOOD_DEPOSIT), 415, "unsupported-media-type"),
                bad("an XML Content-Type", post(DEPOSITS).header("Content-Type", "application/xml").body(GOOD_DEPOSIT), 415, "unsupported-media-type"),
                bad("JSON in Latin-1", post(DEPOSITS).header("Content-Type", "application/json; charset=iso-8859-1").body(GOOD_DEPOSIT),
                        415, "unsupported-media-type"),
                bad("a form post", post(DEPOSITS).header("Content-Type", "application/x-www-form-urlencoded").body("amount=100"),
                        415, "unsupported-media-type"),
                bad("an empty object on a shipment without a Content-Type", post("/orders/o-1/shipment").body("{}"), 415, "unsupported-media-type"),
                bad("a body over 256 KiB", deposit("{\"amount\": " + EUR_100 + ", \"reference\": \"" + "r".repeat(300 * 1024) + "\"}"),
                        413, "payload-too-large"),
                bad("a base64 body over 256 KiB", post(DEPOSITS).base64Json(("{\"reference\": \"" + "r".repeat(300 * 1024) + "\"}")
                        .getBytes(StandardCharsets.UTF_8)), 413, "payload-too-large"),
                bad("a body marked base64 that is not", post(DEPOSITS).header("Content-Type", "application/json").base64Body("{not base64!}"),
                        400, "invalid-request"));
    }

    /** Every string member of every command route, each holding a lone surrogate; the pointer its refusal must name. */
    static Stream<Arguments> loneSurrogates() {
        String order = "{\"orderId\": \"%s\", \"customerId\": \"%s\", \"accountId\": \"%s\", \"currency\": \"%s\", "
                + "\"lines\": [{\"sku\": \"%s\", \"quantity\": 1, \"unitPrice\": {\"minorUnits\": 100, \"currency\": \"%s\"}}]}";
        return Stream.of(
                at("/accountId", openAccount("{\"accountId\": \"a-" + LONE_SURROGATE + "\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}")),
                at("/ownerId", openAccount("{\"accountId\": \"a-2\", \"ownerId\": \"" + LONE_SURROGATE + "\", \"currency\": \"EUR\"}")),
                at("/currency", openAccount("{\"accountId\": \"a-2\", \"ownerId\": \"o-1\", \"currency\": \"EU" + LONE_SURROGATE + "\"}")),
                at("/reference", deposit("{\"amount\": " + EUR_100 + ", \"reference\": \"rent " + LONE_SURROGATE + "\"}")),
                at("/amount/currency", deposit(amountIn(LONE_SURROGATE))),
                at("/amount/currency", post("/accounts/a-1/withdrawals").json(amountIn(LONE_SURROGATE))),
                at("/orderId", post("/orders").json(order.formatted("o-" + LONE_SURROGATE, "c-1", "a-1", "EUR", "A", "EUR"))),
                at("/customerId", post("/orders").json(order.formatted("o-2", LONE_SURROGATE, "a-1", "EUR", "A", "EUR"))),
                at("/accountId", post("/orders").json(order.formatted("o-2", "c-1", "a-" + LONE_SURROGATE, "EUR", "A", "EUR"))),
                at("/currency", post("/orders").json(order.formatted("o-2", "c-1", "a-1", LONE_SURROGATE, "A", "EUR"))),
                at("/lines/0/sku", post("/orders").json(order.formatted("o-2", "c-1", "a-1", "EUR", "SKU-" + LONE_SURROGATE, "EUR"))),
                at("/lines/0/unitPrice/currency", post("/orders").json(order.formatted("o-2", "c-1", "a-1", "EUR", "A", LONE_SURROGATE))),
                at("/amount/currency", post("/orders/o-1/payment").json(amountIn(LONE_SURROGATE))),
                at("/reason", post("/orders/o-1/cancellation").json("{\"reason\": \"changed my mind " + LONE_SURROGATE + "\"}")),
                at("/carrier", post("/orders/o-1/shipment").json("{\"carrier\": \"" + LONE_SURROGATE + "\"}")),
                // Not escaped but in the body's text itself, as a sender of malformed UTF-16 would put it.
                at("", deposit("{\"amount\": " + EUR_100 + ", \"reference\": \"rent " + Character.toString(0xD800) + "\"}")));
    }

    /** What must exist before the corpus runs: account {@code a-1} (EUR) and order {@code o-1} on it; each answers 201. */
    static List<HttpApiEvents.Request> streamsTheCorpusNeeds() {
        return List.of(
                openAccount("{\"accountId\": \"a-1\", \"ownerId\": \"o-1\", \"currency\": \"EUR\"}"),
                placeOrder(lines(1)));
    }

    /** The answer a corpus row must get: its status, its problem type, and nothing that leaks the implementation. */
    static void assertRefusedWith(APIGatewayV2HTTPResponse response, int status, String slug) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://factline.dev/problems/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank().hasSizeLessThan(1_000).doesNotMatch(LEAKS);
        assertThat(response.getBody()).doesNotMatch(LEAKS);
        assertThat(problem.get("correlationId").asText()).isNotBlank();
    }

    @BeforeEach
    void account_a_1_and_order_o_1_exist() {
        for (HttpApiEvents.Request request : streamsTheCorpusNeeds()) {
            assertThat(under.send(request).getStatusCode()).as(request.toString()).isEqualTo(201);
        }
        under.store.resetCount();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void is_refused_with_its_problem_and_writes_nothing(HttpApiEvents.Request request, int status, String slug) {
        APIGatewayV2HTTPResponse response = under.send(request);

        assertRefusedWith(response, status, slug);
        assertThat(under.store.appends()).as("appends that reached the store").isZero();
    }

    @ParameterizedTest
    @MethodSource("loneSurrogates")
    void a_string_that_is_not_unicode_is_refused_at_its_pointer_and_writes_nothing(HttpApiEvents.Request request, String pointer) {
        APIGatewayV2HTTPResponse response = under.send(request);

        assertRefusedWith(response, 400, "invalid-request");
        assertThat(json(response).get("errors")).as(response.getBody()).extracting(error -> error.get("pointer").asText()).containsExactly(pointer);
        assertThat(under.store.appends()).as("appends that reached the store").isZero();
    }

    @Test
    void the_corpus_holds_at_least_45_requests() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(45);
    }

    private static Arguments bad(String name, HttpApiEvents.Request request, int status, String slug) {
        return argumentSet(name, request, status, slug);
    }

    private static Arguments at(String pointer, HttpApiEvents.Request request) {
        return argumentSet((pointer.isEmpty() ? "the text" : pointer) + " of " + request, request, pointer);
    }

    private static HttpApiEvents.Request deposit(String body) {
        return post(DEPOSITS).json(body);
    }

    private static HttpApiEvents.Request amount(String minorUnits) {
        return deposit("{\"amount\": {\"minorUnits\": " + minorUnits + ", \"currency\": \"EUR\"}}");
    }

    /** A good deposit but for its reference, which holds a byte no UTF-8 text has. */
    private static byte[] notUtf8Reference() {
        byte[] body = ("{\"amount\": " + EUR_100 + ", \"reference\": \"rent ?\"}").getBytes(StandardCharsets.US_ASCII);
        body[body.length - 3] = (byte) 0xFF;
        return body;
    }

    private static String amountIn(String currency) {
        return "{\"amount\": {\"minorUnits\": 100, \"currency\": \"" + currency + "\"}}";
    }

    private static HttpApiEvents.Request openAccount(String body) {
        return post("/accounts").json(body);
    }

    private static HttpApiEvents.Request placeOrder(String lines) {
        return post("/orders").json("{\"orderId\": \"o-1\", \"customerId\": \"c-1\", \"accountId\": \"a-1\", \"currency\": \"EUR\", \"lines\": "
                + lines + "}");
    }

    private static String line(String sku, String quantity, String currency) {
        return "{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + ", \"unitPrice\": {\"minorUnits\": 100, \"currency\": \"" + currency + "\"}}";
    }

    private static String lines(int count) {
        return IntStream.range(0, count).mapToObj(i -> line("SKU-" + i, "1", "EUR")).collect(Collectors.joining(", ", "[", "]"));
    }
}
