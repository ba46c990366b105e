package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The local front with {@code --auth iam}, over real HTTP: requests signed by the SDK's signer and by
 * curl's {@code --aws-sigv4} (an implementation of its own) are served; every kind of request API
 * Gateway refuses is refused with its 403 and message, and reaches no function, so nothing is written.
 * The whole acceptance suite runs signed in the build's {@code signed} run ({@code -Dfactline.auth=iam}).
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class SignedRequestsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalCredentials credentials;
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        credentials = LocalCredentials.generate();
        pipeline = LocalPipeline.start(FactlineApi.pipelineOptions().withIam(credentials));
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static ApiSigner signer(Clock clock) {
        return new ApiSigner(credentials.provider(), LocalEnvironment.REGION, clock);
    }

    private static String openAccount(String id) {
        return "{\"accountId\":\"" + id + "\",\"ownerId\":\"sig\",\"currency\":\"EUR\"}";
    }

    /** {@code method path} with {@code body}, with {@code signature}'s headers added, as sent; no contract check (403s are API Gateway's). */
    private static HttpResponse<String> send(String method, String path, String body, Map<String, String> signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pipeline.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        if (!body.isEmpty()) {
            request.header("content-type", "application/json");
        }
        signature.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The headers {@code signer} signs {@code method path body} with, for the request {@link #send} makes. */
    private static Map<String, String> signature(ApiSigner signer, String method, String path, String body) {
        List<Map.Entry<String, String>> headers = body.isEmpty() ? List.of() : List.of(Map.entry("content-type", "application/json"));
        return signer.signatureHeaders(method, URI.create(pipeline.url() + path), headers, body.getBytes(UTF_8));
    }

    private static HttpResponse<String> signedGet(String path) {
        return send("GET", path, "", signature(signer(Clock.systemUTC()), "GET", path, ""));
    }

    @Nested
    class Served {

        @Test
        void a_request_signed_by_the_sdk_is_served_and_its_read_too() {
            String id = "a-sig-" + UUID.randomUUID();
            String body = openAccount(id);

            HttpResponse<String> opened = send("POST", "/accounts", body, signature(signer(Clock.systemUTC()), "POST", "/accounts", body));

            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
            assertThat(signedGet("/accounts/" + id + "?minVersion=1").statusCode()).isEqualTo(200);
        }

        @Test
        void a_query_string_is_part_of_what_is_signed() {
            String id = "a-sig-" + UUID.randomUUID();
            String body = openAccount(id);
            send("POST", "/accounts", body, signature(signer(Clock.systemUTC()), "POST", "/accounts", body));
            String path = "/accounts/" + id + "/events?limit=10";

            assertThat(signedGet(path).statusCode()).isEqualTo(200);
            HttpResponse<String> otherQuery = send("GET", "/accounts/" + id + "/events?limit=9", "",
                    signature(signer(Clock.systemUTC()), "GET", path, ""));
            assertThat(otherQuery.statusCode()).isEqualTo(403);
        }

        @Test
        void a_request_signed_by_curl_is_served() throws IOException, InterruptedException {
            String id = "a-curl-" + UUID.randomUUID();
            Process curl;
            try {
                curl = new ProcessBuilder("curl", "-sS", "-w", " %{http_code}", "--aws-sigv4", "aws:amz:" + LocalEnvironment.REGION
                        + ":" + ApiSigner.SERVICE, "--user", credentials.accessKeyId() + ":" + credentials.secretAccessKey(), "-X", "POST",
                        pipeline.url() + "/accounts", "-H", "content-type: application/json", "-d", openAccount(id)).redirectErrorStream(true).start();
            } catch (IOException e) {
                abort("no curl on the PATH: " + e.getMessage());
                return;
            }
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(curl.getInputStream().readAllBytes(), UTF_8)).endsWith(" 201");
            assertThat(signedGet("/accounts/" + id + "?minVersion=1").statusCode()).isEqualTo(200);
        }

        @Test
        void the_local_routes_stay_open_as_they_have_no_counterpart_on_aws() {
            assertThat(send("GET", "/openapi.json", "", Map.of()).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Refused {

        private final String id = "a-refused-" + UUID.randomUUID();
        private final String body = openAccount(id);

        /** Sends the opening with {@code signature}, asserts API Gateway's 403, and that nothing ran or was written. */
        private void assertRefused(Map<String, String> signature, String errorType, String messageStart) {
            long commands = pipeline.invocations(Topology.COMMAND);

            HttpResponse<String> answer = send("POST", "/accounts", body, signature);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains(errorType);
            assertThat(answer.headers().firstValue("content-type")).contains("application/json");
            assertThat(message(answer)).startsWith(messageStart);
            assertThat(pipeline.invocations(Topology.COMMAND)).as("command function invocations").isEqualTo(commands);
            assertThat(signedGet("/accounts/" + id + "?consistent=true").statusCode()).as("the account, read signed").isEqualTo(404);
        }

        private Map<String, String> signedBy(ApiSigner signer) {
            return signature(signer, "POST", "/accounts", body);
        }

        @Test
        void an_unsigned_request() {
            assertRefused(Map.of(), "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        @Test
        void a_request_signed_with_another_secret() {
            ApiSigner wrongSecret = new ApiSigner(StaticCredentialsProvider.create(AwsBasicCredentials.create(credentials.accessKeyId(), "not-the-secret")),
                    LocalEnvironment.REGION, Clock.systemUTC());
            assertRefused(signedBy(wrongSecret), "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
        }

        @Test
        void a_request_signed_by_an_unknown_access_key() {
            ApiSigner stranger = new ApiSigner(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAOTHERKEY00000000", credentials.secretAccessKey())),
                    LocalEnvironment.REGION, Clock.systemUTC());
            assertRefused(signedBy(stranger), "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        @Test
        void a_signature_older_than_five_minutes() {
            ApiSigner late = signer(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)));
            assertRefused(signedBy(late), "InvalidSignatureException", "Signature expired: ");
        }

        @Test
        void a_signature_dated_more_than_five_minutes_ahead() {
            ApiSigner early = signer(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));
            assertRefused(signedBy(early), "InvalidSignatureException", "Signature not yet current: ");
        }

        @Test
        void a_body_changed_after_signing() {
            Map<String, String> forAnotherBody = signature(signer(Clock.systemUTC()), "POST", "/accounts", openAccount(id + "-other"));
            assertRefused(forAnotherBody, "InvalidSignatureException", "The request signature we calculated does not match");
        }

        @Test
        void a_signature_for_another_region() {
            ApiSigner elsewhere = new ApiSigner(credentials.provider(), "eu-west-1", Clock.systemUTC());
            assertRefused(signedBy(elsewhere), "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'.");
        }

        @Test
        void a_signature_for_another_service() {
            Map<String, String> forDynamo = new LinkedHashMap<>(signedBy(signer(Clock.systemUTC())));
            forDynamo.put("Authorization", forDynamo.get("Authorization").replace("/" + ApiSigner.SERVICE + "/", "/dynamodb/"));
            assertRefused(forDynamo, "InvalidSignatureException", "Credential should be scoped to correct service: 'execute-api'.");
        }

        @Test
        void an_authorization_header_without_a_signature() {
            Map<String, String> truncated = new LinkedHashMap<>(signedBy(signer(Clock.systemUTC())));
            String authorization = truncated.get("Authorization");
            truncated.put("Authorization", authorization.substring(0, authorization.indexOf(", Signature=")));
            assertRefused(truncated, "IncompleteSignatureException", "Authorization header requires 'Signature' parameter.");
        }

        @Test
        void a_bearer_token_instead_of_a_signature() {
            assertRefused(Map.of("Authorization", "Bearer abc"), "IncompleteSignatureException", "The Authorization header must use AWS4-HMAC-SHA256.");
        }

        private static String message(HttpResponse<String> answer) {
            try {
                return JSON.readTree(answer.body()).path("message").asText();
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + answer.body(), e);
            }
        }
    }
}
