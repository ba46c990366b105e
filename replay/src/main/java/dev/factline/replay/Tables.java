package dev.factline.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.view.ReadTable;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Where the tables are: the local pipeline at {@code --local} (it says its DynamoDB endpoint and
 * table names at {@code /_local/environment}), or the tables named, reached the SDK's way
 * (credentials, region, {@code AWS_ENDPOINT_URL_DYNAMODB}) or at {@code --endpoint-url}.
 */
final class Tables {

    @Option(names = "--local", arity = "0..1", fallbackValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "the local pipeline (default URL ${FALLBACK-VALUE}): its endpoint and tables")
    @Nullable URI local;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "DynamoDB's endpoint (default: the SDK's)")
    @Nullable URI endpoint;

    @Option(names = "--event-table", paramLabel = "NAME", description = "the event table's name")
    @Nullable String eventTable;

    @Option(names = "--read-table", paramLabel = "NAME", description = "the read table's name")
    @Nullable String readTable;

    @Option(names = "--payload-bucket", paramLabel = "NAME",
            description = "the S3 bucket of claim-checked payloads (default: $PAYLOAD_BUCKET, or the local pipeline's with --local)")
    @Nullable String payloadBucket;

    @Option(names = "--s3-endpoint-url", paramLabel = "URL", description = "S3's endpoint (default: the SDK's)")
    @Nullable URI s3Endpoint;

    private static final ObjectMapper JSON = new ObjectMapper();

    private @Nullable JsonNode localEnvironment;

    DynamoDbClient client() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (local != null) {
            JsonNode environment = localEnvironment();
            // The emulator takes any credentials and region; the machine may have none configured.
            builder.endpointOverride(URI.create(environment.path("dynamoDbEndpoint").asText()))
                    .region(Region.of(environment.path("region").asText("us-east-1")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /**
     * How the event table's claim-checked payloads are read: from the bucket and S3 endpoint given,
     * else the local pipeline's with {@code --local}, else {@code PAYLOAD_BUCKET} and S3 reached the
     * SDK's way (as the deployed functions read them); none when no bucket is named, so a claimed
     * commit is reported unreadable. Its S3 client is built on first use and handed to {@code closeAtStop}.
     */
    ClaimChecks claims(Consumer<AutoCloseable> closeAtStop) {
        Map<String, String> variables = new HashMap<>(System.getenv());
        if (local != null) {
            JsonNode environment = localEnvironment();
            variables.putAll(Map.of(FunctionSettings.AWS_ENDPOINT_URL_S3.name(), environment.path("s3Endpoint").asText(),
                    FunctionSettings.PAYLOAD_BUCKET.name(), environment.path("payloadBucket").asText(),
                    "AWS_REGION", environment.path("region").asText("us-east-1"), "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
        }
        if (payloadBucket != null) {
            variables.put(FunctionSettings.PAYLOAD_BUCKET.name(), payloadBucket);
        }
        if (s3Endpoint != null) {
            variables.put(FunctionSettings.AWS_ENDPOINT_URL_S3.name(), s3Endpoint.toString());
        }
        return EventWriting.claimChecks(Environment.of(variables, closeAtStop));
    }

    EventTable events() {
        return new EventTable(name(eventTable, "eventTable", "--event-table"));
    }

    ReadTable reads() {
        return new ReadTable(name(readTable, "readTable", "--read-table"));
    }

    private String name(@Nullable String given, String localField, String option) {
        if (given != null) {
            return given;
        }
        if (local != null) {
            return localEnvironment().path(localField).asText();
        }
        throw new IllegalArgumentException(option + " is needed, or --local to take the local pipeline's tables");
    }

    private JsonNode localEnvironment() {
        if (localEnvironment == null) {
            try {
                localEnvironment = JSON.readTree(LocalPipelineCalls.call(local, "GET", "/_local/environment", Duration.ofSeconds(10)));
            } catch (JsonProcessingException notJson) {
                throw new IllegalArgumentException(local + " answered /_local/environment with no JSON: is a local pipeline running there?", notJson);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking " + local, interrupted);
            }
        }
        return localEnvironment;
    }
}
