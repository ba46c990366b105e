package dev.factline.functions.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a JVM of its own, as a Lambda runtime would: builds the publisher with its no-arg
 * constructor, from the environment alone, and handles one DynamoDB stream event read from a
 * file. Prints the batch item failures it answers.
 */
final class ConfiguredByEnvironment {

    private ConfiguredByEnvironment() {
    }

    public static void main(String[] args) throws Exception {
        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        DynamodbEvent event = LambdaEventSerializers
                .serializerFor(DynamodbEvent.class, ConfiguredByEnvironment.class.getClassLoader())
                .fromJson(json);
        StreamsEventResponse response = new PublisherFunction().handleRequest(event, null);
        System.out.println("FAILURES=" + response.getBatchItemFailures().size());
    }
}
