package dev.factline.emulators;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB stream records as Lambda hands them to a function: a GetRecords answer's raw JSON
 * (kept by {@link RawGetRecordsBodies}), each record with the stream's ARN added as
 * {@code eventSourceARN} and the members of its {@code userIdentity} (a TTL deletion's) spelled
 * as Lambda spells them ({@code type}, {@code principalId}: the Streams API has {@code Type},
 * {@code PrincipalId}), in a {@code {"Records": [...]}} batch, parsed by the official Lambda
 * serializer ({@code aws-lambda-java-serialization}) into a {@link DynamodbEvent}. The tests'
 * {@code StreamTap} and the local pipeline's stream triggers both deliver records this way.
 */
public final class LambdaStreamEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<DynamodbEvent> LAMBDA =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, LambdaStreamEvents.class.getClassLoader());

    private LambdaStreamEvents() {
    }

    /** A GetRecords answer's records as Lambda hands them to a function: each record's raw JSON, with {@code eventSourceARN}. */
    public static List<ObjectNode> lambdaRecords(String getRecordsBody, String streamArn) {
        List<ObjectNode> records = new ArrayList<>();
        try {
            for (JsonNode record : JSON.readTree(getRecordsBody).get("Records")) {
                if (record.get("userIdentity") instanceof ObjectNode identity) {
                    ObjectNode asLambda = ((ObjectNode) record).putObject("userIdentity");
                    identity.properties().forEach(member -> asLambda.set(lowerFirst(member.getKey()), member.getValue()));
                }
                records.add(((ObjectNode) record).put("eventSourceARN", streamArn));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** A GetRecords answer as the event Lambda hands a function: its records in one batch. */
    public static DynamodbEvent asLambdaEvent(String getRecordsBody, String streamArn) {
        return fromJson(eventJson(lambdaRecords(getRecordsBody, streamArn)));
    }

    /** The JSON of a batch of records as Lambda sends it: {@code {"Records": [...]}}. */
    public static String eventJson(List<? extends JsonNode> records) {
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").addAll(records);
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event as the JSON Lambda sends. */
    public static String toJson(DynamodbEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LAMBDA.toJson(event, out);
        return out.toString(UTF_8);
    }

    /** The event Lambda's runtime makes of this JSON. */
    public static DynamodbEvent fromJson(String json) {
        return LAMBDA.fromJson(json);
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
