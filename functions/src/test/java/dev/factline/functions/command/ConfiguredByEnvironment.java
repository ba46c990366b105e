package dev.factline.functions.command;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a JVM of its own, as a Lambda runtime would: builds the function with its no-arg
 * constructor, from the environment alone, and answers one payload-2.0 event read from a file.
 * Prints the status and the body.
 */
final class ConfiguredByEnvironment {

    private ConfiguredByEnvironment() {
    }

    public static void main(String[] args) throws Exception {
        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent event = LambdaEventSerializers
                .serializerFor(APIGatewayV2HTTPEvent.class, ConfiguredByEnvironment.class.getClassLoader())
                .fromJson(json);
        APIGatewayV2HTTPResponse response = new CommandFunction().handleRequest(event, null);
        System.out.println("STATUS=" + response.getStatusCode());
        System.out.println("BODY=" + response.getBody());
    }
}
