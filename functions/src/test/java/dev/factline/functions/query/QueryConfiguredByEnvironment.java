package dev.factline.functions.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a JVM of its own, as a Lambda runtime would: builds the query function with its no-arg
 * constructor, from the environment alone, and answers each payload-2.0 event read from the
 * files named, printing the status, the ETag and the body of each.
 */
final class QueryConfiguredByEnvironment {

    private QueryConfiguredByEnvironment() {
    }

    public static void main(String[] args) throws Exception {
        QueryFunction function = new QueryFunction();
        for (String file : args) {
            String json = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            APIGatewayV2HTTPEvent event = LambdaEventSerializers
                    .serializerFor(APIGatewayV2HTTPEvent.class, QueryConfiguredByEnvironment.class.getClassLoader())
                    .fromJson(json);
            APIGatewayV2HTTPResponse response = function.handleRequest(event, null);
            System.out.println("STATUS=" + response.getStatusCode());
            System.out.println("ETAG=" + response.getHeaders().get("ETag"));
            System.out.println("BODY=" + response.getBody());
        }
    }
}
