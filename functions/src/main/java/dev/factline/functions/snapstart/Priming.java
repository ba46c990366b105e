package dev.factline.functions.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import dev.factline.account.AccountOpened;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.CommitImages;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.view.ReadTable;
import dev.factline.money.Money;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderLine;
import dev.factline.order.Orders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What a function's {@link Primed#prime()} runs on: tables, and DynamoDB and Kinesis clients that
 * never connect, a fixed instant instead of the clock, counted ids instead of random ones, and
 * representative events built in memory. Priming objects are dropped when priming ends.
 */
public final class Priming {

    /** The only time priming knows; nothing reads the clock while priming. */
    public static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
    public static final EventTable EVENT_TABLE = new EventTable("priming-events");
    public static final ReadTable READ_TABLE = new ReadTable("priming-views");
    /** The id of every account and order priming commands or reads. */
    public static final String ID = "priming";

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final EventMetadata METADATA = EventMetadata.forCommand("priming");

    private Priming() {
    }

    /** Ids counted up from 1: drawing random ones before the snapshot would hand the same to every restored copy. */
    public static IdGenerator ids() {
        AtomicLong next = new AtomicLong();
        return () -> new UUID(0, next.incrementAndGet());
    }

    /**
     * A DynamoDB client that marshals and signs every call as the function's own client does, then
     * answers it at once with {@code 200 {}} (no item, nothing left unprocessed), never connecting.
     */
    public static DynamoDbClient dynamoDb() {
        return offline(DynamoDbClient.builder());
    }

    /**
     * A Kinesis client that marshals and signs every call as the function's own client does, in the
     * protocol the SDK picks for it from the environment (CBOR, or JSON when {@code CBOR_ENABLED} is
     * false), then answers {@code PutRecords} at once, every entry stored, never connecting.
     */
    public static KinesisClient kinesis() {
        return offline(KinesisClient.builder());
    }

    /** A client of {@code builder}'s service with fixed region and keys, on the {@link OfflineHttpClient}. */
    private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C offline(B builder) {
        return builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, ID)))
                .httpClient(new OfflineHttpClient())
                .build();
    }

    /** The event store on an offline client (see {@link #dynamoDb()}): every stream is empty, every append succeeds. */
    public static DynamoDbEventStore eventStore(DynamoDbClient offline) {
        return new DynamoDbEventStore(offline, EVENT_TABLE, StoreLimits.defaults(), CLOCK);
    }

    /** An HTTP API (payload format 2.0) request; a body is sent as JSON. */
    public static APIGatewayV2HTTPEvent request(String method, String path, @Nullable String jsonBody) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(jsonBody == null ? Map.of() : Map.of("content-type", "application/json"))
                .withBody(jsonBody)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(ID)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .build())
                .build();
    }

    /**
     * {@code response}, if it is what a working function answers (any status under 500: the
     * offline table holds nothing, so a read may rightly be a 404); otherwise priming failed, and
     * the path it was to warm is broken.
     */
    public static APIGatewayV2HTTPResponse answered(APIGatewayV2HTTPResponse response, String request) {
        if (response.getStatusCode() >= 500) {
            throw new IllegalStateException("priming " + request + " was answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return response;
    }

    /** {@code response}, if it reports no record of the priming batch failed; otherwise priming failed. */
    public static StreamsEventResponse processed(StreamsEventResponse response, String batch) {
        if (response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("priming with " + batch + " reported failed records: " + response.getBatchItemFailures());
        }
        return response;
    }

    /** A stream batch of one commit: account {@link #ID} opened, with a first deposit. */
    public static DynamodbEvent accountCommit() {
        return commit(Accounts.TYPE, List.of(new AccountOpened(ID, EUR), new MoneyDeposited(Money.of(100, EUR.getCurrencyCode()), null)));
    }

    /** A stream batch of one commit: order {@link #ID} placed, to be paid from account {@link #ID}. */
    public static DynamodbEvent orderCommit() {
        Money price = Money.of(100, EUR.getCurrencyCode());
        return commit(Orders.TYPE, List.of(new OrderEvent.OrderPlaced(ID, ID, List.of(new OrderLine(ID, 1, price)), price)));
    }

    /** A stream batch of one record: the commit of {@code events} that opens stream {@link #ID} of {@code type}. */
    private static <E> DynamodbEvent commit(AggregateType<?, E, ?> type, List<E> events) {
        List<NewEvent> encoded = type.events().toNewEvents(events, ids(), CLOCK.instant(), METADATA);
        StreamId stream = type.streamId(ID);
        Map<String, AttributeValue> image = CommitImages.of(stream, 0, encoded);
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> keys = new HashMap<>();
        keys.put(EventTable.PARTITION_KEY, lambdaValue(image.get(EventTable.PARTITION_KEY)));
        keys.put(EventTable.SORT_KEY, lambdaValue(image.get(EventTable.SORT_KEY)));
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(new StreamRecord()
                .withSequenceNumber("1")
                .withApproximateCreationDateTime(Date.from(CLOCK.instant()))
                .withKeys(keys)
                .withNewImage(lambdaImage(image))
                .withStreamViewType(StreamViewType.NEW_IMAGE));
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(List.of(record));
        return batch;
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> lambdaImage(
            Map<String, AttributeValue> image) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> converted = new HashMap<>();
        image.forEach((name, value) -> converted.put(name, lambdaValue(value)));
        return converted;
    }

    /** The stream's form of an item's value, for the types a commit item holds. */
    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambdaValue(AttributeValue value) {
        var converted = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        return switch (value.type()) {
            case S -> converted.withS(value.s());
            case N -> converted.withN(value.n());
            case BOOL -> converted.withBOOL(value.bool());
            case M -> converted.withM(lambdaImage(value.m()));
            case L -> converted.withL(value.l().stream().map(Priming::lambdaValue).toList());
            default -> throw new IllegalArgumentException("a commit item holds no " + value.type() + " value");
        };
    }

    /**
     * Answers every request at once without sending it anywhere, in the protocol it was sent in: a
     * Kinesis {@code PutRecords} with every entry stored (one result per {@code PartitionKey} in
     * the request, a name that CBOR and JSON both carry as plain text), anything else {@code 200 {}}
     * (DynamoDB's empty answer: no item, nothing left unprocessed).
     */
    private static final class OfflineHttpClient implements SdkHttpClient {

        private static final byte[] PARTITION_KEY = "PartitionKey".getBytes(StandardCharsets.UTF_8);
        private static final String PUT_RECORDS = "Kinesis_20131202.PutRecords";
        private static final String CBOR = "application/x-amz-cbor-1.1";

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    String contentType = request.httpRequest().firstMatchingHeader("Content-Type").orElse("application/x-amz-json-1.0");
                    boolean putRecords = request.httpRequest().firstMatchingHeader("X-Amz-Target").filter(PUT_RECORDS::equals).isPresent();
                    byte[] body = !putRecords ? "{}".getBytes(StandardCharsets.UTF_8)
                            : contentType.startsWith(CBOR) ? putRecordsCbor(entries(request)) : putRecordsJson(entries(request));
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", contentType)
                                    .putHeader("Content-Length", Integer.toString(body.length))
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                    // nothing in flight
                }
            };
        }

        /** How many records a {@code PutRecords} request carries. */
        private static int entries(HttpExecuteRequest request) throws IOException {
            byte[] body;
            try (InputStream in = request.contentStreamProvider().orElseThrow(() -> new IOException("PutRecords without a body")).newStream()) {
                body = in.readAllBytes();
            }
            int count = 0;
            for (int at = 0; at <= body.length - PARTITION_KEY.length; at++) {
                if (Arrays.equals(body, at, at + PARTITION_KEY.length, PARTITION_KEY, 0, PARTITION_KEY.length)) {
                    count++;
                }
            }
            return count;
        }

        private static byte[] putRecordsJson(int entries) {
            String stored = "{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"}";
            return ("{\"FailedRecordCount\":0,\"Records\":[" + String.join(",", Collections.nCopies(entries, stored)) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        /** The same answer in CBOR (RFC 8949): maps of text keys, one small unsigned integer, one array. */
        private static byte[] putRecordsCbor(int entries) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0xA2);
            cborText(out, "FailedRecordCount");
            out.write(0x00);
            cborText(out, "Records");
            cborHeader(out, 0x80, entries);
            for (int i = 0; i < entries; i++) {
                out.write(0xA2);
                cborText(out, "SequenceNumber");
                cborText(out, "1");
                cborText(out, "ShardId");
                cborText(out, "shardId-000000000000");
            }
            return out.toByteArray();
        }

        private static void cborText(ByteArrayOutputStream out, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            cborHeader(out, 0x60, bytes.length);
            out.writeBytes(bytes);
        }

        /** A major type's header for a length under 65,536. */
        private static void cborHeader(ByteArrayOutputStream out, int majorType, int length) {
            if (length < 24) {
                out.write(majorType | length);
            } else if (length < 256) {
                out.write(majorType | 24);
                out.write(length);
            } else {
                out.write(majorType | 25);
                out.write(length >> 8);
                out.write(length & 0xFF);
            }
        }

        @Override
        public String clientName() {
            return "Offline";
        }

        @Override
        public void close() {
            // holds nothing
        }
    }
}
