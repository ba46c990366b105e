package dev.factline.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The floor under every function's cold start: the least a Java function that reads DynamoDB at
 * all loads and runs. Its constructor builds one {@link DynamoDbClient} as AWS's cold-start
 * guidance for the SDK has it (region and credentials provider given, so neither default chain
 * runs; the URLConnection HTTP client, the one Factline uses), pointed at the endpoint the
 * environment names as the functions' clients are; its invoke does one {@code GetItem} and answers
 * whether the item was there. No Factline class is loaded: what the functions take above this is
 * their own.
 */
public final class SdkFloorHandler implements RequestHandler<APIGatewayV2HTTPEvent, String> {

    /** The table the invoke reads, from the environment (the event table, in the cold-start world). */
    static final String TABLE_VARIABLE = "SDK_FLOOR_TABLE";
    static final String ANSWER = "item absent";

    private final DynamoDbClient dynamo;
    private final String table;

    public SdkFloorHandler() {
        var builder = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.builder().build());
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        this.dynamo = builder.build();
        this.table = System.getenv(TABLE_VARIABLE);
    }

    @Override
    public String handleRequest(APIGatewayV2HTTPEvent event, @Nullable Context context) {
        boolean found = dynamo.getItem(GetItemRequest.builder()
                .tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("sdk-floor"), "sk", AttributeValue.fromN("0")))
                .build()).hasItem();
        return found ? "item present" : ANSWER;
    }
}
