package dev.factline.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;

/**
 * What an on-failure destination says of stream records Lambda gave up on: the function, the
 * stream and shard, and the range of sequence numbers (the records themselves are not in it).
 * The shape is Lambda's "invocation record" for DynamoDB Streams sources.
 */
record ParkedBatch(String functionArn, String streamArn, String shardId, String startSequenceNumber, String endSequenceNumber,
        int batchSize, String condition) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException naming what is missing, when the text is no such record */
    static ParkedBatch parse(String message) {
        JsonNode record;
        try {
            record = JSON.readTree(message);
        } catch (JsonProcessingException notJson) {
            throw new IllegalArgumentException("the message is not JSON: " + notJson.getOriginalMessage(), notJson);
        }
        JsonNode info = record.path("DDBStreamBatchInfo");
        JsonNode context = record.path("requestContext");
        return new ParkedBatch(text(context, "functionArn"), text(info, "streamArn"), text(info, "shardId"),
                text(info, "startSequenceNumber"), text(info, "endSequenceNumber"), info.path("batchSize").asInt(0),
                context.path("condition").asText(""));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("the message is no DynamoDB Streams on-failure record: it has no " + field);
        }
        return value.asText();
    }

    /** Whether {@code sequenceNumber} lies in the batch's range (sequence numbers compare as numbers). */
    boolean covers(String sequenceNumber) {
        BigInteger at = new BigInteger(sequenceNumber);
        return at.compareTo(new BigInteger(startSequenceNumber)) >= 0 && at.compareTo(new BigInteger(endSequenceNumber)) <= 0;
    }
}
