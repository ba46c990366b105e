package dev.factline.benchmarks.load;

import dev.factline.local.ApiSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The API requests the load generator and the end-to-end benchmark send, for one base URL; signed
 * (SigV4) by {@code signer} when there is one, for an API with IAM auth.
 */
public record ApiRequests(URI url, Duration timeout, @Nullable ApiSigner signer) {

    public ApiRequests {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
    }

    public ApiRequests(URI url, Duration timeout) {
        this(url, timeout, null);
    }

    /** {@code POST /accounts}: opens a EUR account with this id. */
    public HttpRequest openAccount(String accountId, String ownerId) {
        return post("/accounts", "{\"accountId\":\"%s\",\"ownerId\":\"%s\",\"currency\":\"EUR\"}".formatted(accountId, ownerId));
    }

    /** {@code POST /accounts/{id}/deposits}: deposits {@code minorUnits} EUR cents. */
    public HttpRequest deposit(String accountId, long minorUnits) {
        return post("/accounts/" + accountId + "/deposits", "{\"amount\":{\"minorUnits\":%d,\"currency\":\"EUR\"}}".formatted(minorUnits));
    }

    /** {@code GET /accounts/{id}}. */
    public HttpRequest readAccount(String accountId) {
        return signed(HttpRequest.newBuilder(uri("/accounts/" + accountId)).timeout(timeout).GET(), "GET", "/accounts/" + accountId, "");
    }

    /** {@code POST /orders}: one line of {@code minorUnits} EUR cents, to be paid from {@code accountId}. */
    public HttpRequest placeOrder(String orderId, String customerId, String accountId, long minorUnits) {
        return post("/orders", ("{\"orderId\":\"%s\",\"customerId\":\"%s\",\"accountId\":\"%s\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"load\",\"quantity\":1,\"unitPrice\":{\"minorUnits\":%d,\"currency\":\"EUR\"}}]}")
                .formatted(orderId, customerId, accountId, minorUnits));
    }

    private URI uri(String path) {
        return URI.create(url + path);
    }

    private HttpRequest post(String path, String json) {
        return signed(HttpRequest.newBuilder(uri(path)).timeout(timeout).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), "POST", path, json);
    }

    private HttpRequest signed(HttpRequest.Builder request, String method, String path, String body) {
        if (signer != null) {
            List<Map.Entry<String, String>> headers = body.isEmpty() ? List.of() : List.of(Map.entry("content-type", "application/json"));
            signer.signatureHeaders(method, uri(path), headers, body.getBytes(StandardCharsets.UTF_8)).forEach(request::header);
        }
        return request.build();
    }
}
