package dev.factline.functions.snapstart;

import dev.factline.functions.store.ClaimChecks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.projector.ProjectorMetrics;
import dev.factline.functions.publisher.PublishLimits;
import dev.factline.functions.publisher.PublishPolicy;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.publisher.PublisherMetrics;
import dev.factline.functions.publisher.RecordSink;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.query.QuerySettings;
import dev.factline.functions.saga.SagaFunction;
import dev.factline.functions.saga.SagaMetrics;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.view.ViewCache;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Priming runs before the SnapStart snapshot, so it must touch nothing real: each function's own
 * clients (pointed here at a port nothing listens on, and counted) see no call, its sink gets no
 * record, and the batches it primes with are commits the stream functions really read.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PrimingTest {

    private static final String CBOR_ENABLED = "aws.cborEnabled";

    private final CallCounter calls = new CallCounter();
    private final AtomicInteger recordsPut = new AtomicInteger();
    private final DynamoDbClient ownClient = DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(calls))
            .build();
    private final DynamoDbEventStore ownStore = new DynamoDbEventStore(ownClient, Priming.EVENT_TABLE, StoreLimits.defaults(), Clock.systemUTC());
    private final RecordSink ownSink = records -> {
        recordsPut.addAndGet(records.size());
        throw new AssertionError("priming put records into the function's own sink");
    };

    @Test
    void every_function_primes_without_calling_its_own_clients() {
        List<Primed> functions = List.of(
                new CommandFunction(ownStore, Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults()),
                new QueryFunction(ownClient, QuerySettings.of(Priming.READ_TABLE, Priming.EVENT_TABLE), ViewCache.none(), Clock.systemUTC()),
                new ProjectorFunction(ownClient, Priming.READ_TABLE, Priming.EVENT_TABLE, ViewCache.none(), Clock.systemUTC(), ProjectorMetrics.none()),
                new PublisherFunction(ownSink, PublishLimits.kinesis(), PublishPolicy.defaults(Duration.ofSeconds(15)), Clock.systemUTC(),
                        PublisherMetrics.none()),
                new SagaFunction(ownStore, Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults(), SagaMetrics.none()));

        functions.forEach(Primed::prime);

        assertThat(calls.total()).isZero();
        assertThat(recordsPut).hasValue(0);
    }

    /** The publisher's priming goes through a Kinesis client, so its offline answer must read in either of Kinesis's protocols. */
    @Test
    void the_offline_kinesis_client_stores_every_entry_in_cbor_and_in_json() {
        String cborSetting = System.getProperty(CBOR_ENABLED);
        try {
            for (String cbor : List.of("true", "false")) {
                System.setProperty(CBOR_ENABLED, cbor);
                try (KinesisClient offline = Priming.kinesis()) {
                    PutRecordsResponse answer = offline.putRecords(PutRecordsRequest.builder().streamName("priming").records(
                            IntStream.range(0, 30).mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("account#" + i)
                                    .data(SdkBytes.fromUtf8String("{}")).build()).toList()).build());

                    assertThat(answer.failedRecordCount()).as("CBOR " + cbor).isZero();
                    assertThat(answer.records()).as("CBOR " + cbor).hasSize(30).allSatisfy(stored -> {
                        assertThat(stored.errorCode()).isNull();
                        assertThat(stored.shardId()).isEqualTo("shardId-000000000000");
                    });
                }
            }
        } finally {
            if (cborSetting == null) {
                System.clearProperty(CBOR_ENABLED);
            } else {
                System.setProperty(CBOR_ENABLED, cborSetting);
            }
        }
    }

    @Test
    void the_stream_functions_are_primed_with_whole_commits() {
        ChangeBatch accounts = ChangeBatch.of(Priming.accountCommit(), ClaimChecks.none());
        ChangeBatch orders = ChangeBatch.of(Priming.orderCommit(), ClaimChecks.none());

        assertThat(accounts.unreadable()).isEmpty();
        assertThat(accounts.commits()).singleElement().satisfies(commit ->
                assertThat(commit.events()).extracting(RecordedEvent::type).containsExactly("AccountOpened", "MoneyDeposited"));
        assertThat(orders.unreadable()).isEmpty();
        assertThat(orders.commits()).singleElement().satisfies(commit ->
                assertThat(commit.events()).extracting(RecordedEvent::type).containsExactly("OrderPlaced"));
    }

    @Test
    void a_primed_request_answered_with_a_server_error_fails_priming() {
        APIGatewayV2HTTPResponse broken = APIGatewayV2HTTPResponse.builder().withStatusCode(500).withBody("{}").build();
        APIGatewayV2HTTPResponse notFound = APIGatewayV2HTTPResponse.builder().withStatusCode(404).build();

        assertThatThrownBy(() -> Priming.answered(broken, "GET /x")).hasMessageContaining("priming GET /x was answered 500");
        assertThat(Priming.answered(notFound, "GET /x")).isSameAs(notFound);
    }

    /** Its clean batch was checked with isNotNull on a method that returns its argument. */
    @Test
    void a_primed_batch_with_a_failed_record_fails_priming_and_one_without_passes_as_it_is() {
        StreamsEventResponse failed = StreamsEventResponse.builder()
                .withBatchItemFailures(List.of(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier("1").build())).build();
        StreamsEventResponse none = StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        StreamsEventResponse unset = StreamsEventResponse.builder().build();

        assertThatThrownBy(() -> Priming.processed(failed, "a commit")).hasMessageContaining("reported failed records");
        assertThat(Priming.processed(none, "a commit")).isSameAs(none);
        assertThat(Priming.processed(unset, "a commit")).as("no list of failures at all").isSameAs(unset);
    }

    @Test
    void a_priming_that_fails_never_stops_the_snapshot() {
        Primed failing = () -> {
            throw new IllegalStateException("priming GET /x was answered 500");
        };

        assertThatCode(() -> failing.beforeCheckpoint(null)).doesNotThrowAnyException();
    }
}
