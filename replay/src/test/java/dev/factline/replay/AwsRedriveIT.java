package dev.factline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountView;
import dev.factline.emulators.LambdaStreamEvents;
import dev.factline.emulators.RawGetRecordsBodies;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.projector.ProjectorMetrics;
import dev.factline.functions.testing.EventHistory;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A redrive from an on-failure queue's messages, with the records read back from a real stream
 * (dynalite's) and handed to a real projector; the queue is a list here (no SQS emulator is used),
 * the function is invoked in-process instead of through Lambda's Invoke.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwsRedriveIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalDynamo dynamo = LocalDynamo.shared();
    private final EventHistory history = EventHistory.create(dynamo, "redrive");
    private final RawGetRecordsBodies bodies = new RawGetRecordsBodies();
    private final DynamoDbStreamsClient streams = dynamo.streamsClientBuilder()
            .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(bodies)).build();
    private final List<Message> queue = new ArrayList<>();
    private final List<String> invoked = new ArrayList<>();

    @AfterEach
    void drop() {
        streams.close();
        history.close();
    }

    private final AwsRedrive.Queue listQueue = new AwsRedrive.Queue() {
        @Override
        public List<Message> receive(int max) {
            return List.copyOf(queue.subList(0, Math.min(max, queue.size())));
        }

        @Override
        public void delete(Message message) {
            queue.remove(message);
        }
    };

    private AwsRedrive.Functions projector() {
        ProjectorFunction function = new ProjectorFunction(ReadModels.of(AccountView.MODEL), dynamo.client(), history.readTable(),
                history.eventTable(), ViewCache.none(), Clock.systemUTC(), ProjectorMetrics.none());
        return (name, event) -> {
            invoked.add(name);
            try {
                return JSON.writeValueAsString(function.handleRequest(LambdaStreamEvents.fromJson(event), null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private String parkedMessage(List<DynamodbStreamRecord> records) {
        String shard = streams.describeStream(describe -> describe.streamArn(history.streamArn())).streamDescription().shards().getFirst().shardId();
        return "{\"requestContext\":{\"functionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:projector\","
                + "\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":6},"
                + "\"DDBStreamBatchInfo\":{\"shardId\":\"" + shard + "\",\"startSequenceNumber\":\"" + records.getFirst().getDynamodb().getSequenceNumber()
                + "\",\"endSequenceNumber\":\"" + records.getLast().getDynamodb().getSequenceNumber() + "\",\"batchSize\":" + records.size()
                + ",\"streamArn\":\"" + history.streamArn() + "\"}}";
    }

    @Test
    void the_records_a_message_names_are_read_back_from_the_stream_applied_by_the_function_and_the_message_deleted() {
        List<StreamId> accounts = history.writeAccounts("r-", 3, 5);
        DynamodbEvent parked = history.undelivered();
        Message message = Message.builder().body(parkedMessage(parked.getRecords())).receiptHandle("r-1").build();
        queue.add(message);

        List<AwsRedrive.Outcome> outcomes = new AwsRedrive(listQueue, new StreamRecords(streams, bodies), projector()).run(10, null);

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.applied()).as(outcome.detail()).isTrue();
            assertThat(outcome.detail()).isEqualTo("applied 3 record(s)");
        });
        assertThat(invoked).containsExactly("arn:aws:lambda:us-east-1:000000000000:function:projector");
        assertThat(queue).isEmpty();
        for (StreamId account : accounts) {
            var row = dynamo.client().getItem(get -> get.tableName(history.readTable().name()).key(ViewRow.keyOf(AccountView.MODEL.rowKey(account)))).item();
            assertThat(ViewRow.fromItem(row).version()).isEqualTo(5);
        }
    }

    @Test
    void a_message_the_function_still_refuses_or_that_is_no_on_failure_record_stays_in_the_queue_with_why() {
        history.writeAccounts("s-", 1, 5);
        DynamodbEvent parked = history.undelivered();
        queue.add(Message.builder().body(parkedMessage(parked.getRecords())).receiptHandle("r-1").build());
        queue.add(Message.builder().body("{\"hello\":\"world\"}").receiptHandle("r-2").build());
        String first = parked.getRecords().getFirst().getDynamodb().getSequenceNumber();
        AwsRedrive.Functions stillFailing = (name, event) -> "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + first + "\"}]}";

        List<AwsRedrive.Outcome> outcomes = new AwsRedrive(listQueue, new StreamRecords(streams, bodies), stillFailing).run(10, "projector");

        assertThat(outcomes).extracting(AwsRedrive.Outcome::applied).containsExactly(false, false);
        assertThat(outcomes.get(0).detail()).isEqualTo("left in the queue: the function still reports 1 record(s), from " + first);
        assertThat(outcomes.get(1).detail()).isEqualTo("left in the queue: the message is no DynamoDB Streams on-failure record: it has no functionArn");
        assertThat(queue).hasSize(2);
    }
}
