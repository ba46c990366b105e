package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.publisher.LambdaDeliveries.Delivery;
import dev.factline.functions.publisher.PublishedEnvelope.EventKey;
import dev.factline.functions.testing.LocalKinesis;
import dev.factline.functions.testing.TcpCut;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Failures on the way to Kinesis, on the real client and server: entries refused inside an
 * answered PutRecords (throttling, injected by taking them out of the request, see
 * {@link RefusingEntries}), and Kinesis unreachable (a TCP relay cut), before a batch and in the
 * middle of one. Each time: only what failed is sent again, every stream stays in version order,
 * what could not be published is reported, and a re-delivery publishes the rest.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherPartialFailuresIT {

    private static final int LAMBDA_DEFAULT_BATCH = 100;

    private static StreamId account(int i) {
        return StreamId.of("account", "a-" + i);
    }

    private static RefusingEntries refusing() {
        String dump = "refused-" + UUID.randomUUID();
        LocalKinesis.shared().createStream(dump, 1);
        return new RefusingEntries(dump);
    }

    @Nested
    class Throttled_entries {

        @Test
        void are_sent_again_alone_and_every_stream_stays_in_version_order() {
            RefusingEntries throttling = refusing();
            try (Pipeline pipeline = Pipeline.withInterceptors(3, throttling)) {
                List<StreamId> streams = IntStream.range(0, 6).mapToObj(PublisherPartialFailuresIT::account).toList();
                for (int round = 0; round < 3; round++) {
                    for (StreamId stream : streams) {
                        pipeline.append(stream, 1 + round % 2);
                    }
                }
                throttling.refuse((event, attempt) -> event.version() % 2 == 0 && attempt <= 2
                        && !event.streamId().equals(account(5).toString()));
                Delivery batch = pipeline.deliveries.allAsOne();

                StreamsEventResponse response = pipeline.deliver(pipeline.publisher(), batch);

                assertThat(Pipeline.retryFrom(response)).isEmpty();
                int events = 6 * 4;
                assertThat(throttling.refused()).isEqualTo(5 * 2 * 2);
                assertThat(throttling.calls().stream().mapToInt(List::size).sum())
                        .as("every event once, plus once more per refusal").isEqualTo(events + throttling.refused());
                assertThat(throttling.calls()).allSatisfy(call ->
                        assertThat(call.stream().map(EventKey::streamId).distinct().count()).isEqualTo(call.size()));
                KinesisConsumer consumer = pipeline.consumer();
                for (StreamId stream : streams) {
                    assertThat(consumer.order().duplicates(stream.toString())).as("a refused entry is never stored").isZero();
                    pipeline.assertPublishedAsStored(consumer, stream);
                }
                assertThat(pipeline.batches).singleElement().satisfies(counted -> {
                    assertThat(counted.entriesRefused()).isEqualTo(throttling.refused());
                    assertThat(counted.entriesRetried()).isEqualTo(throttling.refused());
                    assertThat(counted.eventsPublished()).isEqualTo(events);
                    assertThat(counted.putRecordsCalls()).isEqualTo(throttling.calls().size());
                });
            }
        }

        @Test
        void an_entry_refused_on_every_attempt_is_reported_its_stream_waits_and_a_redelivery_after_the_throttling_publishes_the_rest() {
            RefusingEntries throttling = refusing();
            try (Pipeline pipeline = Pipeline.withInterceptors(2, throttling)) {
                StreamId a = account(1);
                StreamId b = account(2);
                pipeline.append(a, 1);
                pipeline.append(b, 1);
                pipeline.append(a, 1);
                pipeline.append(b, 1);
                pipeline.append(a, 1);
                Delivery batch = pipeline.deliveries.allAsOne();
                String stuck = batch.sequenceNumberOf(a.toString(), 2);
                throttling.refuse((event, attempt) -> event.equals(new EventKey(a.toString(), 2)));
                PublisherFunction publisher = pipeline.publisher();

                StreamsEventResponse first = pipeline.deliver(publisher, batch);

                assertThat(Pipeline.retryFrom(first)).contains(stuck);
                assertThat(throttling.attemptsOf(new EventKey(a.toString(), 2))).isEqualTo(PublishPolicy.DEFAULT_ATTEMPTS);
                assertThat(throttling.attemptsOf(new EventKey(a.toString(), 3))).as("never sent ahead of version 2").isZero();
                KinesisConsumer stalled = pipeline.consumer();
                assertThat(stalled.order().copies(a.toString())).containsExactly(1L);
                stalled.order().assertComplete(b.toString(), 2);
                assertThat(pipeline.log.getFirst()).contains("\"kind\":\"gave-up\"", RefusingEntries.THROTTLED);

                throttling.refuse((event, attempt) -> false);
                for (Delivery again : pipeline.deliveries.from(stuck, LAMBDA_DEFAULT_BATCH)) {
                    assertThat(Pipeline.retryFrom(pipeline.deliver(publisher, again))).isEmpty();
                }

                KinesisConsumer consumer = pipeline.consumer();
                pipeline.assertPublishedAsStored(consumer, a);
                pipeline.assertPublishedAsStored(consumer, b);
                assertThat(consumer.order().copies(a.toString())).containsExactly(1L, 2L, 3L);
                assertThat(consumer.order().copies(b.toString())).containsExactly(1L, 2L, 2L);
            }
        }
    }

    @Nested
    class Kinesis_unreachable {

        private static final PublishPolicy QUICK_RETRIES =
                new PublishPolicy(3, new RetryBackoff.FullJitter(Duration.ofMillis(10), Duration.ofMillis(50)), PublisherFunction.TIME_RESERVE);

        private static KinesisClient through(TcpCut relay, ExecutionInterceptor... interceptors) {
            URI endpoint = URI.create("http://127.0.0.1:" + relay.redisUri().getPort());
            return LocalKinesis.shared().clientBuilder()
                    .endpointOverride(endpoint)
                    .overrideConfiguration(configuration -> {
                        for (ExecutionInterceptor interceptor : interceptors) {
                            configuration.addExecutionInterceptor(interceptor);
                        }
                    })
                    .build();
        }

        @Test
        void before_a_batch_nothing_is_published_the_batch_is_reported_from_its_first_record_and_a_redelivery_publishes_it() {
            try (Pipeline pipeline = Pipeline.withShards(2);
                    TcpCut relay = TcpCut.to(LocalKinesis.shared().endpoint().getPort());
                    KinesisClient client = through(relay)) {
                List<StreamId> streams = List.of(account(1), account(2), account(3));
                for (StreamId stream : streams) {
                    pipeline.append(stream, 2);
                }
                Delivery batch = pipeline.deliveries.allAsOne();
                PublisherFunction publisher = pipeline.publisher(client, QUICK_RETRIES);
                relay.cut();

                StreamsEventResponse first = pipeline.deliver(publisher, batch);

                assertThat(Pipeline.retryFrom(first)).contains(batch.sequenceNumbers().getFirst());
                assertThat(pipeline.consumer().size()).isZero();
                assertThat(pipeline.batches.getFirst().entriesRefused()).isEqualTo(3 * QUICK_RETRIES.attemptsPerEvent());
                assertThat(pipeline.log.getFirst()).contains("\"kind\":\"gave-up\"", "CallFailed");

                relay.restore();
                for (Delivery again : pipeline.deliveries.from(Pipeline.retryFrom(first).orElseThrow(), LAMBDA_DEFAULT_BATCH)) {
                    assertThat(Pipeline.retryFrom(pipeline.deliver(publisher, again))).isEmpty();
                }

                KinesisConsumer consumer = pipeline.consumer();
                for (StreamId stream : streams) {
                    pipeline.assertPublishedAsStored(consumer, stream);
                    assertThat(consumer.order().duplicates(stream.toString())).isZero();
                }
            }
        }

        @Test
        void in_the_middle_of_a_batch_what_went_out_stays_what_did_not_is_reported_and_a_redelivery_completes_every_stream_in_order() {
            AtomicInteger putRecordsCalls = new AtomicInteger();
            TcpCut relay = TcpCut.to(LocalKinesis.shared().endpoint().getPort());
            ExecutionInterceptor cutAfterTheSecondCall = new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                    if ("PutRecords".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                            && putRecordsCalls.incrementAndGet() == 2) {
                        relay.cut();
                    }
                }
            };
            try (relay; Pipeline pipeline = Pipeline.withShards(2); KinesisClient client = through(relay, cutAfterTheSecondCall)) {
                List<StreamId> streams = List.of(account(1), account(2), account(3));
                for (int round = 0; round < 4; round++) {
                    for (StreamId stream : streams) {
                        pipeline.append(stream, 1);
                    }
                }
                Delivery batch = pipeline.deliveries.allAsOne();
                PublisherFunction publisher = pipeline.publisher(client, QUICK_RETRIES);

                StreamsEventResponse first = pipeline.deliver(publisher, batch);

                assertThat(Pipeline.retryFrom(first)).contains(batch.sequenceNumberOf(account(1).toString(), 3));
                KinesisConsumer cut = pipeline.consumer();
                for (StreamId stream : streams) {
                    assertThat(cut.order().copies(stream.toString())).containsExactly(1L, 2L);
                }

                relay.restore();
                for (Delivery again : pipeline.deliveries.from(Pipeline.retryFrom(first).orElseThrow(), LAMBDA_DEFAULT_BATCH)) {
                    assertThat(Pipeline.retryFrom(pipeline.deliver(publisher, again))).isEmpty();
                }

                KinesisConsumer consumer = pipeline.consumer();
                for (StreamId stream : streams) {
                    pipeline.assertPublishedAsStored(consumer, stream);
                    assertThat(consumer.order().copies(stream.toString())).containsExactly(1L, 2L, 3L, 4L);
                }
            }
        }
    }
}
