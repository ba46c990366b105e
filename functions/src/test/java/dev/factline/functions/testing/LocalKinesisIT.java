package dev.factline.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * kinesalite as the publisher's tests rely on it, through the real SDK: streams ACTIVE when
 * {@code createStream} returns, shards that keep a partition key's records in the order put,
 * the JSON protocol (CBOR off), the 1 MiB record check, and a server that goes away with its owner.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalKinesisIT {

    private static final LocalKinesis KINESIS = LocalKinesis.shared();

    private static String newStream(int shards) {
        String name = "fixture-" + UUID.randomUUID();
        KINESIS.createStream(name, shards);
        return name;
    }

    /** Each shard's records as {@code partitionKey=data}. */
    private static Map<String, List<String>> readAll(KinesisClient kinesis, String stream) {
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        LocalKinesis.recordsByShard(kinesis, stream).forEach((shard, records) -> byShard.put(shard,
                records.stream().map(record -> record.partitionKey() + "=" + record.data().asUtf8String()).toList()));
        return byShard;
    }

    @Nested
    class Streams {

        @Test
        void a_stream_is_active_with_its_shards_when_create_stream_returns() {
            String stream = newStream(4);

            assertThat(KINESIS.client().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus())
                    .isEqualTo(StreamStatus.ACTIVE);
            assertThat(KINESIS.client().listShards(b -> b.streamName(stream)).shards()).hasSize(4);
        }

        @Test
        void a_partition_key_s_records_stay_in_one_shard_in_the_order_put_across_calls() {
            String stream = newStream(4);
            for (int call = 0; call < 5; call++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int key = 0; key < 8; key++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + key)
                            .data(SdkBytes.fromUtf8String(Integer.toString(call))).build());
                }
                PutRecordsResponse response = KINESIS.client().putRecords(b -> b.streamName(stream).records(entries));
                assertThat(response.failedRecordCount()).isZero();
            }

            Map<String, List<String>> byShard = readAll(KINESIS.client(), stream);

            assertThat(byShard.values().stream().filter(records -> !records.isEmpty()).count()).as("keys spread over shards").isGreaterThan(1);
            for (int key = 0; key < 8; key++) {
                String prefix = "key-" + key + "=";
                List<List<String>> shardsWithKey = byShard.values().stream()
                        .map(records -> records.stream().filter(record -> record.startsWith(prefix)).toList())
                        .filter(records -> !records.isEmpty())
                        .toList();
                assertThat(shardsWithKey).singleElement()
                        .isEqualTo(List.of(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4));
            }
        }

        @Test
        void clients_speak_json_to_it_because_the_fixture_turns_cbor_off() {
            List<String> contentTypes = new ArrayList<>();
            ExecutionInterceptor contentType = new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    contentTypes.add(context.httpRequest().firstMatchingHeader("Content-Type").orElse("none"));
                }
            };
            String stream = newStream(1);
            try (KinesisClient client = KINESIS.clientBuilder()
                    .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(contentType)).build()) {
                client.putRecords(b -> b.streamName(stream).records(PutRecordsRequestEntry.builder().partitionKey("k")
                        .data(SdkBytes.fromUtf8String("hello")).build()));

                assertThat(readAll(client, stream).values()).containsExactly(List.of("k=hello"));
            }
            assertThat(System.getProperty("aws.cborEnabled")).isEqualTo("false");
            assertThat(contentTypes).isNotEmpty().allSatisfy(type -> assertThat(type).startsWith("application/x-amz-json-1.1"));
        }

        @Test
        void a_record_over_one_mib_of_data_fails_the_whole_request() {
            String stream = newStream(1);
            PutRecordsRequestEntry small = PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("ok")).build();
            PutRecordsRequestEntry tooBig = PutRecordsRequestEntry.builder().partitionKey("k")
                    .data(SdkBytes.fromByteArray(new byte[1024 * 1024 + 1])).build();

            assertThatThrownBy(() -> KINESIS.client().putRecords(b -> b.streamName(stream).records(small, tooBig)))
                    .isInstanceOfSatisfying(KinesisException.class, refused -> assertThat(refused.statusCode()).isEqualTo(400));
            assertThat(readAll(KINESIS.client(), stream).values()).containsExactly(List.of());
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void a_server_of_its_own_listens_on_a_port_of_its_own_and_stops_on_close() {
            LocalKinesis own = LocalKinesis.start();
            try {
                assertThat(own.endpoint()).isNotEqualTo(KINESIS.endpoint());
                own.createStream("own-" + UUID.randomUUID(), 1);
                assertThat(own.isRunning()).isTrue();
            } finally {
                own.close();
            }
            assertThat(own.isRunning()).isFalse();
        }

        @Test
        void closing_the_shared_server_does_nothing() {
            KINESIS.close();

            assertThat(KINESIS.isRunning()).isTrue();
            assertThat(LocalKinesis.shared()).isSameAs(KINESIS);
        }

        /** What keeps a killed test JVM from leaving the server behind: the launcher exits when its stdin closes. */
        @Test
        void the_launcher_exits_when_its_parent_closes_its_stdin() throws Exception {
            Process launcher = new ProcessBuilder("node", LocalKinesis.repositoryRoot().resolve("tools/kinesalite-server.js").toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader output = launcher.inputReader(UTF_8);
                assertThat(output.readLine()).matches("KINESALITE_PORT=\\d+");

                launcher.getOutputStream().close();

                assertThat(launcher.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s").isTrue();
                assertThat(launcher.exitValue()).isZero();
            } finally {
                launcher.destroyForcibly();
            }
        }

        @Test
        void the_launcher_refuses_a_port_that_is_no_number_and_says_why() throws Exception {
            Process launcher = new ProcessBuilder("node", LocalKinesis.repositoryRoot().resolve("tools/kinesalite-server.js").toString(), "http")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(launcher.getInputStream().readAllBytes(), UTF_8);

            assertThat(launcher.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).isEqualTo(1);
            assertThat(output).contains("port must be a number");
        }
    }
}
