package dev.factline.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.LambdaStreamEvents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A redrive on AWS: each message of a trigger's on-failure queue names a range of stream records
 * Lambda gave up on; the records are read back from the stream and handed to the function again
 * (synchronously, as one batch, the way the trigger would), and the message is deleted only when
 * the function took them all. A message whose records the stream no longer holds (after 24 hours),
 * or that the function still refuses, stays in the queue, with why.
 */
final class AwsRedrive {

    /** Where the messages are. */
    interface Queue {
        List<Message> receive(int max);

        void delete(Message message);
    }

    /** The function a batch goes back to: the JSON it answers with. */
    interface Functions {
        String invoke(String function, String event);
    }

    /** What one message came to. */
    record Outcome(@Nullable ParkedBatch batch, boolean applied, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Queue queue;
    private final StreamRecords records;
    private final Functions functions;

    AwsRedrive(Queue queue, StreamRecords records, Functions functions) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.records = Objects.requireNonNull(records, "records");
        this.functions = Objects.requireNonNull(functions, "functions");
    }

    /** Redrives up to {@code max} messages, to {@code function} or to the function each message names. */
    List<Outcome> run(int max, @Nullable String function) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Message message : queue.receive(max)) {
            outcomes.add(redrive(message, function));
        }
        return outcomes;
    }

    private Outcome redrive(Message message, @Nullable String function) {
        ParkedBatch batch;
        try {
            batch = ParkedBatch.parse(message.body());
        } catch (IllegalArgumentException notOurs) {
            return new Outcome(null, false, "left in the queue: " + notOurs.getMessage());
        }
        List<ObjectNode> found = records.of(batch);
        if (found.isEmpty()) {
            return new Outcome(batch, false, "left in the queue: the stream no longer holds records " + batch.startSequenceNumber() + ".."
                    + batch.endSequenceNumber() + " (a stream keeps 24 hours); rebuild the read model from the event table instead");
        }
        String answer = functions.invoke(function == null ? batch.functionArn() : function, LambdaStreamEvents.eventJson(found));
        List<String> refused = failuresIn(answer);
        if (!refused.isEmpty()) {
            return new Outcome(batch, false, "left in the queue: the function still reports " + refused.size() + " record(s), from " + refused.getFirst());
        }
        queue.delete(message);
        return new Outcome(batch, true, "applied " + found.size() + " record(s)");
    }

    /** The item identifiers a StreamsEventResponse reports; a function error counts as all of them. */
    private static List<String> failuresIn(String answer) {
        JsonNode response;
        try {
            response = JSON.readTree(answer);
        } catch (IOException notJson) {
            return List.of("(an answer that is not JSON: " + answer + ")");
        }
        if (response.has("errorMessage")) {
            return List.of("(a function error: " + response.path("errorMessage").asText() + ")");
        }
        List<String> failures = new ArrayList<>();
        response.path("batchItemFailures").forEach(failure -> failures.add(failure.path("itemIdentifier").asText()));
        return failures;
    }

    /** The SQS queue at {@code url}: long-polled, each message hidden for the redrive's minutes. */
    static Queue sqs(SqsClient sqs, String url) {
        return new Queue() {
            @Override
            public List<Message> receive(int max) {
                List<Message> messages = new ArrayList<>();
                while (messages.size() < max) {
                    int asked = Math.min(10, max - messages.size());
                    List<Message> page = sqs.receiveMessage(receive -> receive.queueUrl(url).maxNumberOfMessages(asked)
                            .waitTimeSeconds(1).visibilityTimeout(300)).messages();
                    if (page.isEmpty()) {
                        break;
                    }
                    messages.addAll(page);
                }
                return messages;
            }

            @Override
            public void delete(Message message) {
                sqs.deleteMessage(delete -> delete.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        };
    }

    /** Lambda, invoked synchronously, as a trigger invokes its function. */
    static Functions lambda(LambdaClient lambda) {
        return (function, event) -> {
            InvokeResponse response = lambda.invoke(invoke -> invoke.functionName(function).invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromUtf8String(event)));
            String payload = response.payload() == null ? "{}" : response.payload().asUtf8String();
            return response.functionError() == null ? payload : "{\"errorMessage\":" + JSON.valueToTree(payload) + "}";
        };
    }
}
