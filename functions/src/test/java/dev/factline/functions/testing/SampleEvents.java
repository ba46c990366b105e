package dev.factline.functions.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Lambda events in {@code samples/events} of the repository, committed fixtures that users
 * also hand to {@code sam local invoke -e}: read from the repository's root and deserialized by
 * the Lambda runtime's own serializer, as a function receives them.
 */
public final class SampleEvents {

    public static final String HTTP_POST_ACCOUNTS = "apigateway-post-accounts.json";
    public static final String HTTP_GET_ACCOUNT = "apigateway-get-account.json";
    public static final String DYNAMODB_COMMIT = "dynamodb-streams-commit.json";
    public static final String KINESIS_PUBLISHED = "kinesis-published-event.json";

    private SampleEvents() {
    }

    public static Path path(String name) {
        return LocalDynamo.repositoryRoot().resolve("samples/events").resolve(name);
    }

    public static String json(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample event " + path(name), e);
        }
    }

    public static APIGatewayV2HTTPEvent http(String name) {
        return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, SampleEvents.class.getClassLoader()).fromJson(json(name));
    }

    public static DynamodbEvent dynamodb(String name) {
        return StreamTap.fromJson(json(name));
    }

    public static KinesisEvent kinesis(String name) {
        return LambdaEventSerializers.serializerFor(KinesisEvent.class, SampleEvents.class.getClassLoader()).fromJson(json(name));
    }
}
