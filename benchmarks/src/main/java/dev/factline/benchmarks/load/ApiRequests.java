package dev.factline.benchmarks.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;

/** The API requests the load generator and the end-to-end benchmark send, for one base URL. */
public record ApiRequests(URI url, Duration timeout) {

    public ApiRequests {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
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
        return HttpRequest.newBuilder(uri("/accounts/" + accountId)).timeout(timeout).GET().build();
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
        return HttpRequest.newBuilder(uri(path)).timeout(timeout).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
