package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.InvocationContext;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.publisher.LambdaDeliveries.Delivery;
import dev.factline.functions.store.StoreLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The publisher end to end on real local servers: commands written to dynalite, the event table's
 * stream read and handed over as Lambda delivers it, the publisher writing to a multi-shard
 * kinesalite stream through the real SDK, and a consumer reading every shard back.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherFunctionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LAMBDA_DEFAULT_BATCH = 100;

    private static StreamId account(int i) {
        return StreamId.of("account", String.format("a-%02d", i));
    }

    private static List<StreamId> accounts(int count) {
        return IntStream.range(0, count).mapToObj(PublisherFunctionIT::account).toList();
    }

    private static int putRecordsCalls(Pipeline pipeline) {
        return pipeline.calls.calls().getOrDefault("PutRecords", 0);
    }

    @Nested
    class End_to_end {

        private static APIGatewayV2HTTPResponse send(CommandFunction commands, HttpApiEvents.Request request, int status) {
            APIGatewayV2HTTPResponse response = commands.handleRequest(request.event(), null);
            assertThat(response.getStatusCode()).as("%s: %s", request, response.getBody()).isEqualTo(status);
            return response;
        }

        @Test
        void commands_reach_kinesis_complete_and_each_stream_in_version_order_across_four_shards() {
            try (Pipeline pipeline = Pipeline.withShards(4)) {
                CommandFunction commands = pipeline.commands();
                List<StreamId> streams = new ArrayList<>(accounts(24));
                for (StreamId account : accounts(24)) {
                    send(commands, HttpApiEvents.post("/accounts")
                            .json("{\"accountId\":\"" + account.id() + "\",\"ownerId\":\"owner-" + account.id() + "\",\"currency\":\"EUR\"}"), 201);
                }
                for (int round = 1; round <= 5; round++) {
                    for (StreamId account : accounts(24)) {
                        send(commands, HttpApiEvents.post("/accounts/" + account.id() + "/deposits")
                                .json("{\"amount\":{\"minorUnits\":" + (round * 100) + ",\"currency\":\"EUR\"}}"), 200);
                    }
                }
                for (int i = 0; i < 6; i++) {
                    String order = String.format("o-%02d", i);
                    streams.add(StreamId.of("order", order));
                    send(commands, HttpApiEvents.post("/orders").json("{\"orderId\":\"" + order + "\",\"customerId\":\"c-1\",\"accountId\":\""
                            + account(i).id() + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"book\",\"quantity\":2,"
                            + "\"unitPrice\":{\"minorUnits\":1250,\"currency\":\"EUR\"}}]}"), 201);
                    send(commands, HttpApiEvents.post("/orders/" + order + "/payment")
                            .json("{\"amount\":{\"minorUnits\":2500,\"currency\":\"EUR\"}}"), 200);
                    send(commands, HttpApiEvents.post("/orders/" + order + "/shipment"), 200);
                    send(commands, HttpApiEvents.post("/accounts/" + account(i).id() + "/withdrawals")
                            .json("{\"amount\":{\"minorUnits\":50,\"currency\":\"EUR\"}}"), 200);
                }
                PublisherFunction publisher = pipeline.publisher();

                List<Delivery> batches = pipeline.deliveries.all(LAMBDA_DEFAULT_BATCH);
                for (Delivery batch : batches) {
                    assertThat(Pipeline.retryFrom(pipeline.deliver(publisher, batch))).isEmpty();
                }

                KinesisConsumer consumer = pipeline.consumer();
                assertThat(batches).hasSizeGreaterThan(1);
                assertThat(consumer.shardsUsed()).isEqualTo(4);
                assertThat(consumer.size()).isEqualTo(24 * 6 + 6 * 4);
                for (StreamId stream : streams) {
                    assertThat(consumer.order().duplicates(stream.toString())).isZero();
                    pipeline.assertPublishedAsStored(consumer, stream);
                }
            }
        }

        @Test
        void the_same_batch_delivered_twice_leaves_duplicates_recognisable_by_stream_and_version_and_the_order_holds() {
            try (Pipeline pipeline = Pipeline.withShards(3)) {
                for (int round = 0; round < 3; round++) {
                    for (StreamId account : accounts(8)) {
                        pipeline.append(account, 1 + round % 2);
                    }
                }
                Delivery batch = pipeline.deliveries.allAsOne();
                PublisherFunction publisher = pipeline.publisher();

                StreamsEventResponse first = pipeline.deliver(publisher, batch);
                StreamsEventResponse again = pipeline.deliver(publisher, batch);

                assertThat(Pipeline.retryFrom(first)).isEmpty();
                assertThat(Pipeline.retryFrom(again)).isEmpty();
                KinesisConsumer consumer = pipeline.consumer();
                for (StreamId account : accounts(8)) {
                    assertThat(consumer.order().copies(account.toString()))
                            .as("every version twice, the second delivery after the first")
                            .containsExactly(1L, 2L, 3L, 4L, 1L, 2L, 3L, 4L);
                    assertThat(consumer.order().duplicates(account.toString())).isEqualTo(4);
                    pipeline.assertPublishedAsStored(consumer, account);
                }
            }
        }

        @Test
        void each_batch_is_counted_once_in_the_metrics_and_the_log() throws Exception {
            try (Pipeline pipeline = Pipeline.withShards(2)) {
                for (StreamId account : accounts(5)) {
                    pipeline.append(account, 2);
                    pipeline.append(account, 1);
                }
                Delivery batch = pipeline.deliveries.allAsOne();

                pipeline.deliver(pipeline.publisher(), batch);

                assertThat(pipeline.batches).singleElement().satisfies(counted -> {
                    assertThat(counted.records()).isEqualTo(10);
                    assertThat(counted.commits()).isEqualTo(10);
                    assertThat(counted.eventsPublished()).isEqualTo(15);
                    assertThat(counted.putRecordsCalls()).isEqualTo(putRecordsCalls(pipeline)).isEqualTo(3);
                    assertThat(counted.entriesRetried()).isZero();
                    assertThat(counted.recordsFailed()).isZero();
                    assertThat(counted.lag()).isNotNull().isBetween(Duration.ZERO, Duration.ofMinutes(1));
                    assertThat(counted.retryFrom()).isEmpty();
                });
                JsonNode line = JSON.readTree(pipeline.log.getFirst());
                assertThat(line.get("level").asText()).isEqualTo("INFO");
                assertThat(line.get("published").asInt()).isEqualTo(15);
                assertThat(line.get("calls").asInt()).isEqualTo(3);
                assertThat(line.has("problems")).isFalse();
            }
        }
    }

    /** PutRecords calls per batch, counted on the real client: one event of a stream per call. */
    @Nested
    class Calls_per_batch {

        @Test
        void a_hundred_events_over_ten_streams_in_one_batch_take_ten_calls() {
            try (Pipeline pipeline = Pipeline.withShards(2)) {
                for (int round = 0; round < 10; round++) {
                    for (StreamId account : accounts(10)) {
                        pipeline.append(account, 1);
                    }
                }
                Delivery batch = pipeline.deliveries.allAsOne();

                pipeline.deliver(pipeline.publisher(), batch);

                assertThat(batch.size()).isEqualTo(100);
                assertThat(putRecordsCalls(pipeline)).isEqualTo(10);
                KinesisConsumer consumer = pipeline.consumer();
                accounts(10).forEach(account -> consumer.order().assertComplete(account.toString(), 10));
            }
        }

        @Test
        void a_thousand_events_over_a_hundred_streams_in_commits_of_ten_take_ten_calls() {
            try (Pipeline pipeline = Pipeline.withShards(4)) {
                pipeline.appendToEach(accounts(100), 10);
                Delivery batch = pipeline.deliveries.allAsOne();

                pipeline.deliver(pipeline.publisher(), batch);

                assertThat(batch.size()).isEqualTo(100);
                assertThat(putRecordsCalls(pipeline)).isEqualTo(10);
                KinesisConsumer consumer = pipeline.consumer();
                assertThat(consumer.size()).isEqualTo(1000);
                accounts(100).forEach(account -> consumer.order().assertComplete(account.toString(), 10));
            }
        }

        @Test
        void a_thousand_single_event_commits_over_a_hundred_streams_take_one_call_a_batch_of_a_hundred_or_ten_in_one_batch() {
            try (Pipeline pipeline = Pipeline.withShards(4)) {
                for (int round = 0; round < 10; round++) {
                    pipeline.appendToEach(accounts(100), 1);
                }
                PublisherFunction publisher = pipeline.publisher();

                List<Delivery> batchesOfAHundred = pipeline.deliveries.all(LAMBDA_DEFAULT_BATCH);
                batchesOfAHundred.forEach(batch -> pipeline.deliver(publisher, batch));
                int callsInBatchesOfAHundred = putRecordsCalls(pipeline);
                pipeline.calls.reset();
                pipeline.deliver(publisher, pipeline.deliveries.allAsOne());

                assertThat(batchesOfAHundred).hasSize(10);
                assertThat(callsInBatchesOfAHundred).isEqualTo(10);
                assertThat(pipeline.batches.subList(0, 10)).extracting(PublishedBatch::putRecordsCalls).containsOnly(1);
                assertThat(putRecordsCalls(pipeline)).as("the same 1000 records as one batch").isEqualTo(10);
                KinesisConsumer consumer = pipeline.consumer();
                accounts(100).forEach(account -> {
                    consumer.order().assertComplete(account.toString(), 10);
                    assertThat(consumer.order().duplicates(account.toString())).isEqualTo(10);
                });
            }
        }

        @Test
        void five_hundred_streams_of_one_event_take_one_call() {
            try (Pipeline pipeline = Pipeline.withShards(4)) {
                pipeline.appendToEach(accounts(500), 1);

                pipeline.deliver(pipeline.publisher(), pipeline.deliveries.allAsOne());

                assertThat(putRecordsCalls(pipeline)).isEqualTo(1);
                assertThat(pipeline.consumer().size()).isEqualTo(500);
            }
        }

        /** Lambda hands a function at most 6 MB, so a batch of such events is 16 or so: one call cannot take them all. */
        @Test
        void events_of_340_kb_go_out_in_calls_of_at_most_five_mib() {
            StoreLimits bigPayloads = new StoreLimits(340 * 1024, 350 * 1024, Duration.ofHours(24), 100);
            try (Pipeline pipeline = Pipeline.withShards(4, bigPayloads)) {
                String padding = "x".repeat(340_000);
                for (StreamId account : accounts(16)) {
                    pipeline.append(account, 1, version -> "{\"padding\":\"" + padding + "\"}");
                }
                Delivery batch = pipeline.deliveries.allAsOne();

                StreamsEventResponse response = pipeline.deliver(pipeline.publisher(), batch);

                assertThat(batch.json().length()).isLessThan(6_000_000);
                assertThat(Pipeline.retryFrom(response)).isEmpty();
                assertThat(putRecordsCalls(pipeline)).as("15 records of 340 KB fill 5 MiB").isEqualTo(2);
                KinesisConsumer consumer = pipeline.consumer();
                assertThat(consumer.size()).isEqualTo(16);
                accounts(16).forEach(account -> pipeline.assertPublishedAsStored(consumer, account));
            }
        }
    }

    @Nested
    class Bad_input {

        private final StreamId a = account(1);
        private final StreamId b = account(2);
        private final StreamId c = account(3);

        /** a1, b1, a2, c1, a3, b2: the damaged record is a's second commit. */
        private void writeInterleaved(Pipeline pipeline) {
            pipeline.append(a, 1);
            pipeline.append(b, 1);
            pipeline.append(a, 1);
            pipeline.append(c, 1);
            pipeline.append(a, 1);
            pipeline.append(b, 1);
        }

        @Test
        void an_unreadable_record_is_reported_its_stream_waits_the_rest_is_published_and_a_build_that_reads_it_publishes_the_rest() {
            try (Pipeline pipeline = Pipeline.withShards(2)) {
                writeInterleaved(pipeline);
                Delivery batch = pipeline.deliveries.allAsOne();
                String damaged = batch.sequenceNumberOf(a.toString(), 2);
                PublisherFunction publisher = pipeline.publisher();

                StreamsEventResponse response = pipeline.deliver(publisher,
                        batch.withRecord(damaged, dynamodb -> ((ObjectNode) dynamodb.get("NewImage")).remove("events")));

                assertThat(Pipeline.retryFrom(response)).contains(damaged);
                KinesisConsumer afterFirst = pipeline.consumer();
                assertThat(afterFirst.order().copies(a.toString())).as("a waits behind its unreadable commit").containsExactly(1L);
                afterFirst.order().assertComplete(b.toString(), 2);
                afterFirst.order().assertComplete(c.toString(), 1);
                assertThat(pipeline.log.getFirst()).contains("\"kind\":\"unreadable\"", "\"sequenceNumber\":\"" + damaged + "\"",
                        "\"streamId\":\"" + a + "\"");

                for (Delivery again : pipeline.deliveries.from(damaged, LAMBDA_DEFAULT_BATCH)) {
                    assertThat(Pipeline.retryFrom(pipeline.deliver(publisher, again))).isEmpty();
                }

                KinesisConsumer consumer = pipeline.consumer();
                for (StreamId stream : List.of(a, b, c)) {
                    pipeline.assertPublishedAsStored(consumer, stream);
                }
                assertThat(consumer.order().copies(b.toString())).as("b's record after the reported one came again").containsExactly(1L, 2L, 2L);
                assertThat(consumer.order().copies(c.toString())).containsExactly(1L, 1L);
            }
        }

        @Test
        void a_record_whose_keys_cannot_be_read_either_holds_back_every_record_after_it() {
            try (Pipeline pipeline = Pipeline.withShards(2)) {
                writeInterleaved(pipeline);
                Delivery batch = pipeline.deliveries.allAsOne();
                String damaged = batch.sequenceNumberOf(a.toString(), 2);

                StreamsEventResponse response = pipeline.deliver(pipeline.publisher(), batch.withRecord(damaged, dynamodb -> {
                    dynamodb.remove("Keys");
                    ((ObjectNode) dynamodb.get("NewImage")).remove("events");
                }));

                assertThat(Pipeline.retryFrom(response)).contains(damaged);
                KinesisConsumer consumer = pipeline.consumer();
                assertThat(consumer.all()).extracting(PublishedEnvelope::key).containsExactlyInAnyOrder(
                        new PublishedEnvelope.EventKey(a.toString(), 1), new PublishedEnvelope.EventKey(b.toString(), 1));
                assertThat(pipeline.batches.getFirst().recordsFailed()).isEqualTo(4);
            }
        }

        @Test
        void an_event_over_the_record_limit_is_reported_and_never_sent_and_once_lambda_gives_up_on_it_the_stream_goes_on_after_a_visible_gap() {
            try (Pipeline pipeline = Pipeline.withShards(2)) {
                pipeline.append(a, 1);
                pipeline.append(b, 1);
                pipeline.append(a, 1, version -> "{\"padding\":\"" + "x".repeat(6_000) + "\"}");
                pipeline.append(b, 1);
                pipeline.append(a, 1);
                Delivery batch = pipeline.deliveries.allAsOne();
                String poison = batch.sequenceNumberOf(a.toString(), 2);
                PublisherFunction publisher = pipeline.publisher(new PublishLimits(500, 5L << 20, 4_096));

                StreamsEventResponse first = pipeline.deliver(publisher, batch);
                List<StreamsEventResponse> redelivered = pipeline.deliveries.from(poison, LAMBDA_DEFAULT_BATCH).stream()
                        .map(again -> pipeline.deliver(publisher, again)).toList();

                assertThat(Pipeline.retryFrom(first)).contains(poison);
                assertThat(redelivered).singleElement().satisfies(again -> assertThat(Pipeline.retryFrom(again)).contains(poison));
                assertThat(pipeline.batches).extracting(PublishedBatch::unpublishableEvents).containsExactly(1, 1);
                KinesisConsumer beforeGivingUp = pipeline.consumer();
                assertThat(beforeGivingUp.order().copies(a.toString())).containsExactly(1L);
                beforeGivingUp.order().assertComplete(b.toString(), 2);

                for (Delivery afterPoison : pipeline.deliveries.after(poison, LAMBDA_DEFAULT_BATCH)) {
                    assertThat(Pipeline.retryFrom(pipeline.deliver(publisher, afterPoison))).isEmpty();
                }

                assertThat(pipeline.consumer().order().copies(a.toString()))
                        .as("version 2 went to the on-failure destination; a consumer sees 3 follow 1 and reloads a")
                        .containsExactly(1L, 3L);
            }
        }

        /** kinesalite refuses a whole request with a record over 1 MiB (LocalKinesisIT), so b's arrival proves a's event was never in a call. */
        @Test
        void an_event_over_one_mib_never_reaches_kinesis_so_the_events_beside_it_do() {
            try (Pipeline pipeline = Pipeline.withShards(1)) {
                pipeline.append(a, 1);
                pipeline.append(b, 1);
                Delivery batch = pipeline.deliveries.allAsOne();
                String huge = batch.sequenceNumberOf(a.toString(), 1);
                String payload = "{\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";

                StreamsEventResponse response = pipeline.deliver(pipeline.publisher(), batch.withRecord(huge, dynamodb ->
                        ((ObjectNode) dynamodb.at("/NewImage/events/L/0/M/payload")).put("S", payload)));

                assertThat(Pipeline.retryFrom(response)).contains(huge);
                assertThat(pipeline.consumer().all()).extracting(PublishedEnvelope::key)
                        .containsExactly(new PublishedEnvelope.EventKey(b.toString(), 1));
                assertThat(putRecordsCalls(pipeline)).isEqualTo(1);
                assertThat(pipeline.log.getFirst()).contains("\"kind\":\"unpublishable\"", "over the 1048576 bytes a record may hold");
            }
        }
    }

    @Nested
    class Time {

        @Test
        void with_less_time_left_than_a_call_needs_nothing_is_sent_and_the_batch_is_reported_from_its_first_record() {
            try (Pipeline pipeline = Pipeline.withShards(1)) {
                pipeline.append(account(1), 2);
                pipeline.append(account(2), 1);
                Delivery batch = pipeline.deliveries.allAsOne();

                StreamsEventResponse response = pipeline.publisher().handleRequest(batch.event(), InvocationContext.withTimeLeft("publisher", 512, Duration.ofSeconds(10)));

                assertThat(Pipeline.retryFrom(response)).contains(batch.sequenceNumbers().getFirst());
                assertThat(putRecordsCalls(pipeline)).isZero();
                assertThat(pipeline.log.getFirst()).contains("\"kind\":\"out-of-time\"");
            }
        }

        @Test
        void with_a_minute_left_everything_is_sent() {
            try (Pipeline pipeline = Pipeline.withShards(1)) {
                pipeline.append(account(1), 2);
                Delivery batch = pipeline.deliveries.allAsOne();

                StreamsEventResponse response = pipeline.publisher().handleRequest(batch.event(), InvocationContext.withTimeLeft("publisher", 512, Duration.ofSeconds(60)));

                assertThat(Pipeline.retryFrom(response)).isEmpty();
                pipeline.consumer().order().assertComplete(account(1).toString(), 2);
            }
        }
    }
}
