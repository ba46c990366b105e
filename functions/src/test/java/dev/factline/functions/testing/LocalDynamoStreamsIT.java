package dev.factline.functions.testing;

import dev.factline.emulators.RawGetRecordsBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.VersionConflictException;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SequenceNumberRange;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Streams as the launcher serves them beside dynalite ({@code tools/dynalite-streams.js}),
 * read with the SDK's own {@link DynamoDbStreamsClient} over real connections: the records of the
 * event store's writes, in order and with the images written, the iterator types, the errors, and
 * the records read as the Lambda event a projector receives.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalDynamoStreamsIT {

    private static final LocalDynamo DYNAMO = LocalDynamo.shared();
    private static final RawGetRecordsBodies RAW_BODIES = new RawGetRecordsBodies();
    private static final String SEQUENCE_NUMBER = "\\d{21}";

    private static DynamoDbStreamsClient streams;

    @BeforeAll
    static void connect() {
        streams = DYNAMO.streamsClientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(RAW_BODIES))
                .build();
    }

    @AfterAll
    static void disconnect() {
        streams.close();
    }

    @Nested
    class Finding_a_stream {

        @Test
        void a_table_created_with_a_stream_lists_it_and_describes_it_in_describe_table() {
            StreamTable table = StreamTable.createEventTable();

            TableDescription description = DYNAMO.client().describeTable(b -> b.tableName(table.name())).table();

            assertThat(streams.listStreams(b -> b.tableName(table.name())).streams())
                    .singleElement()
                    .satisfies(stream -> {
                        assertThat(stream.streamArn()).isEqualTo(table.streamArn());
                        assertThat(stream.tableName()).isEqualTo(table.name());
                        assertThat(stream.streamArn()).isEqualTo(description.tableArn() + "/stream/" + stream.streamLabel());
                    });
            assertThat(description.streamSpecification())
                    .isEqualTo(StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build());
            assertThat(description.latestStreamArn()).isEqualTo(table.streamArn());
            assertThat(table.streamArn()).endsWith("/stream/" + description.latestStreamLabel());
        }

        @Test
        void describe_stream_shows_one_open_shard_and_the_table_s_keys() {
            StreamTable table = StreamTable.createEventTable();

            StreamDescription stream = streams.describeStream(b -> b.streamArn(table.streamArn())).streamDescription();

            assertThat(stream.streamStatus()).isEqualTo(StreamStatus.ENABLED);
            assertThat(stream.streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
            assertThat(stream.tableName()).isEqualTo(table.name());
            assertThat(stream.keySchema()).containsExactly(
                    KeySchemaElement.builder().attributeName(EventTable.PARTITION_KEY).keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder().attributeName(EventTable.SORT_KEY).keyType(KeyType.RANGE).build());
            assertThat(stream.shards()).singleElement().satisfies(shard -> {
                assertThat(shard.shardId()).matches("shardId-\\d{20}-[0-9a-f]{8}");
                assertThat(shard.sequenceNumberRange().startingSequenceNumber()).matches(SEQUENCE_NUMBER);
                assertThat(shard.sequenceNumberRange().endingSequenceNumber()).as("an open shard has no end").isNull();
            });
        }

        @Test
        void a_table_created_without_a_stream_has_none() {
            String name = "no-stream-" + UUID.randomUUID();
            DYNAMO.createTable(new EventTable(name).createTableRequest().toBuilder()
                    .streamSpecification((StreamSpecification) null)
                    .build());

            TableDescription description = DYNAMO.client().describeTable(b -> b.tableName(name)).table();

            assertThat(streams.listStreams(b -> b.tableName(name)).streams()).isEmpty();
            assertThat(streams.listStreams().streams()).noneSatisfy(stream -> assertThat(stream.tableName()).isEqualTo(name));
            assertThat(description.streamSpecification()).isNull();
            assertThat(description.latestStreamArn()).isNull();
        }

        @Test
        void an_unknown_stream_is_not_found() {
            String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/never-created/stream/2020-01-01T00:00:00.000";

            assertThatThrownBy(() -> streams.describeStream(b -> b.streamArn(arn)))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining(arn);
        }

        @Test
        void a_deleted_table_s_stream_is_disabled_its_shard_closed_and_its_records_still_readable() {
            StreamTable table = StreamTable.createEventTable();
            table.store().append(StreamId.of("account", "a-1"), 0, List.of(event("AccountOpened")), null);

            DYNAMO.client().deleteTable(b -> b.tableName(table.name()));

            StreamDescription stream = streams.describeStream(b -> b.streamArn(table.streamArn())).streamDescription();
            assertThat(stream.streamStatus()).isEqualTo(StreamStatus.DISABLED);
            SequenceNumberRange range = stream.shards().getFirst().sequenceNumberRange();
            List<GetRecordsResponse> pages = table.pagesFrom(table.iterator(ShardIteratorType.TRIM_HORIZON), 10);
            assertThat(pages).singleElement().satisfies(page -> {
                assertThat(page.records()).singleElement()
                        .satisfies(only -> assertThat(only.dynamodb().sequenceNumber()).isEqualTo(range.endingSequenceNumber()));
                assertThat(page.nextShardIterator()).as("a closed shard read to its end").isNull();
            });
        }
    }

    @Nested
    class The_event_store_s_writes {

        @Test
        void arrive_in_write_order_as_inserts_of_the_items_written_commits_claims_and_snapshots_alike() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            StreamId order = StreamId.of("order", "o-" + UUID.randomUUID());
            IdempotencyKey key = new IdempotencyKey("key-" + UUID.randomUUID());

            table.store().append(account, 0, List.of(event("AccountOpened"), event("MoneyDeposited")), null);
            table.store().append(account, 2, List.of(event("MoneyWithdrawn")), new Idempotency(key, "fingerprint-1"));
            table.store().saveSnapshot(new Snapshot(account, 3, 1, "{\"balance\":0}"));
            table.store().append(order, 0, List.of(event("OrderPlaced")), null);

            List<Record> records = table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON));
            assertThat(records).extracting(record -> record.dynamodb().keys()).containsExactly(
                    itemKey(account.toString(), "1"),
                    itemKey("idempotency#" + key.value(), "0"),
                    itemKey(account.toString(), "3"),
                    itemKey(account.toString(), "3.5"),
                    itemKey(order.toString(), "1"));
            assertThat(records).extracting(record -> record.dynamodb().newImage().get(EventTable.KIND).s())
                    .containsExactly("commit", "idempotency", "commit", "snapshot", "commit");
            assertThat(records).allSatisfy(record -> {
                assertThat(record.eventName()).isEqualTo(OperationType.INSERT);
                assertThat(record.dynamodb().newImage()).isEqualTo(table.item(record.dynamodb().keys()));
                assertThat(record.dynamodb().hasOldImage()).as("a NEW_IMAGE stream has no old images").isFalse();
            });
        }

        @Test
        void come_in_pages_of_the_limit_and_an_empty_page_still_carries_an_iterator() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            for (int version = 0; version < 5; version++) {
                table.store().append(account, version, List.of(event("MoneyDeposited")), null);
            }

            String iterator = table.iterator(ShardIteratorType.TRIM_HORIZON);
            List<GetRecordsResponse> pages = table.pagesFrom(iterator, 2);
            GetRecordsResponse afterTheEnd = streams.getRecords(b -> b.shardIterator(pages.getLast().nextShardIterator()).limit(2));

            assertThat(pages).extracting(page -> page.records().size()).containsExactly(2, 2, 1);
            assertThat(pages.stream().flatMap(page -> page.records().stream()))
                    .extracting(record -> record.dynamodb().keys().get(EventTable.SORT_KEY).n())
                    .containsExactly("1", "2", "3", "4", "5");
            assertThat(afterTheEnd.records()).isEmpty();
            assertThat(afterTheEnd.nextShardIterator()).isNotBlank();
        }

        @Test
        void carry_the_fields_a_stream_consumer_reads() {
            StreamTable table = StreamTable.createEventTable();
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            table.store().append(account, 0, List.of(event("AccountOpened")), null);
            table.store().append(account, 1, List.of(event("MoneyDeposited")), null);
            Instant after = Instant.now();

            List<Record> records = table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON));
            Shard shard = table.shard();

            assertThat(records).hasSize(2).allSatisfy(record -> {
                assertThat(record.eventVersion()).isEqualTo("1.1");
                assertThat(record.eventSource()).isEqualTo("aws:dynamodb");
                assertThat(record.awsRegion()).isEqualTo("us-east-1");
                assertThat(record.eventID()).matches("[0-9a-f]{32}");
                assertThat(record.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
                assertThat(record.dynamodb().sizeBytes()).isPositive();
                assertThat(record.dynamodb().approximateCreationDateTime()).isBetween(before, after);
                assertThat(record.dynamodb().sequenceNumber()).matches(SEQUENCE_NUMBER)
                        .isGreaterThanOrEqualTo(shard.sequenceNumberRange().startingSequenceNumber());
            });
            assertThat(records.get(0).eventID()).isNotEqualTo(records.get(1).eventID());
            assertThat(records.get(0).dynamodb().sequenceNumber()).isLessThan(records.get(1).dynamodb().sequenceNumber());
        }

        /** Each writer appends after the head it last saw, so a stream's next commit is written after its record's predecessor. */
        @Test
        void racing_writers_leave_one_record_per_commit_in_each_stream_s_version_order() throws Exception {
            StreamTable table = StreamTable.createEventTable();
            List<StreamId> aggregates = List.of(
                    StreamId.of("account", "a-" + UUID.randomUUID()), StreamId.of("account", "b-" + UUID.randomUUID()));
            int writers = 8;
            int commitsEach = 10;
            List<Future<?>> finished = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                for (int w = 0; w < writers; w++) {
                    StreamId aggregate = aggregates.get(w % aggregates.size());
                    finished.add(pool.submit(() -> {
                        long head = 0;
                        for (int written = 0; written < commitsEach; ) {
                            try {
                                table.store().append(aggregate, head, List.of(event("MoneyDeposited")), null);
                                head++;
                                written++;
                            } catch (VersionConflictException behind) {
                                head = behind.actualVersion();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : finished) {
                    writer.get();
                }
            }

            List<Record> records = table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON));

            assertThat(records).hasSize(writers * commitsEach);
            long commitsPerStream = (long) writers / aggregates.size() * commitsEach;
            for (StreamId aggregate : aggregates) {
                assertThat(records)
                        .filteredOn(record -> record.dynamodb().keys().get(EventTable.PARTITION_KEY).s().equals(aggregate.toString()))
                        .extracting(record -> Long.valueOf(record.dynamodb().keys().get(EventTable.SORT_KEY).n()))
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, commitsPerStream).boxed().toList());
            }
        }

        @Test
        void a_snapshot_saved_again_at_its_version_is_a_modify() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            table.store().append(account, 0, List.of(event("AccountOpened")), null);
            table.store().saveSnapshot(new Snapshot(account, 1, 1, "{\"balance\":0}"));

            table.store().saveSnapshot(new Snapshot(account, 1, 1, "{\"balance\":0,\"open\":true}"));

            assertThat(table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON)))
                    .extracting(record -> record.eventName() + " " + record.dynamodb().newImage().get(EventTable.KIND).s())
                    .containsExactly("INSERT commit", "INSERT snapshot", "MODIFY snapshot");
        }

        @Test
        void a_conflict_and_an_idempotent_repeat_write_no_records() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            Idempotency keyed = new Idempotency(new IdempotencyKey("key-" + UUID.randomUUID()), "fingerprint-1");
            table.store().append(account, 0, List.of(event("AccountOpened")), keyed);
            String afterTheWrites = table.iterator(ShardIteratorType.LATEST);

            AppendResult repeat = table.store().append(account, 0, List.of(event("AccountOpened")), keyed);
            assertThatThrownBy(() -> table.store().append(account, 0, List.of(event("AccountOpened")), null))
                    .isInstanceOf(VersionConflictException.class);

            assertThat(repeat).isInstanceOf(AppendResult.AlreadyCommitted.class);
            assertThat(table.recordsFrom(afterTheWrites)).isEmpty();
        }
    }

    @Nested
    class Iterators {

        @Test
        void after_sequence_number_resumes_exactly_after_a_record_and_at_sequence_number_at_it() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            for (int version = 0; version < 3; version++) {
                table.store().append(account, version, List.of(event("MoneyDeposited")), null);
            }
            List<Record> all = table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON));
            String first = all.get(0).dynamodb().sequenceNumber();
            String second = all.get(1).dynamodb().sequenceNumber();

            assertThat(table.recordsFrom(table.iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, first)))
                    .containsExactlyElementsOf(all.subList(1, 3));
            assertThat(table.recordsFrom(table.iterator(ShardIteratorType.AT_SEQUENCE_NUMBER, second)))
                    .containsExactlyElementsOf(all.subList(1, 3));
            assertThat(table.recordsFrom(table.iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, all.get(2).dynamodb().sequenceNumber())))
                    .isEmpty();
        }

        @Test
        void latest_sees_only_the_writes_made_after_it() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            table.store().append(account, 0, List.of(event("AccountOpened")), null);

            GetRecordsResponse before = streams.getRecords(b -> b.shardIterator(table.iterator(ShardIteratorType.LATEST)));
            table.store().append(account, 1, List.of(event("MoneyDeposited")), null);
            GetRecordsResponse after = streams.getRecords(b -> b.shardIterator(before.nextShardIterator()));

            assertThat(before.records()).isEmpty();
            assertThat(after.records()).singleElement()
                    .satisfies(record -> assertThat(record.dynamodb().keys()).isEqualTo(itemKey(account.toString(), "2")));
        }

        @Test
        void a_string_that_is_no_iterator_is_refused_as_invalid() {
            assertThatThrownBy(() -> streams.getRecords(b -> b.shardIterator("not-a-shard-iterator")))
                    .isInstanceOfSatisfying(DynamoDbException.class, refused -> {
                        assertThat(refused.statusCode()).isEqualTo(400);
                        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("Invalid ShardIterator");
                    });
        }

        @Test
        void an_iterator_from_another_server_names_a_stream_this_one_does_not_know() {
            String foreign;
            try (LocalDynamo other = LocalDynamo.start();
                    DynamoDbStreamsClient otherStreams = other.streamsClientBuilder().build()) {
                EventTable table = new EventTable("elsewhere-" + UUID.randomUUID());
                other.createTable(table.createTableRequest());
                String arn = otherStreams.listStreams(b -> b.tableName(table.name())).streams().getFirst().streamArn();
                String shardId = otherStreams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().getFirst().shardId();
                foreign = otherStreams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            }

            assertThatThrownBy(() -> streams.getRecords(b -> b.shardIterator(foreign)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }

        @Test
        void an_unknown_shard_is_not_found() {
            StreamTable table = StreamTable.createEventTable();

            assertThatThrownBy(() -> streams.getShardIterator(b -> b.streamArn(table.streamArn())
                    .shardId("shardId-00000000000000000000-00000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    /** Read models may come to use streams with other writes and views; the DynamoDB client's own calls. */
    @Nested
    class Other_writes_and_views {

        private final DynamoDbClient client = DYNAMO.client();

        @Test
        void put_update_delete_and_batch_write_record_what_changed_with_old_and_new_images() {
            StreamTable table = StreamTable.create(StreamViewType.NEW_AND_OLD_IMAGES);
            Map<String, AttributeValue> a = itemKey("a", "1");
            Map<String, AttributeValue> b = itemKey("b", "1");

            client.putItem(put -> put.tableName(table.name()).item(with(a, "v", "1")));
            client.putItem(put -> put.tableName(table.name()).item(with(a, "v", "1")));
            client.updateItem(update -> update.tableName(table.name()).key(a)
                    .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromN("2"))));
            client.updateItem(update -> update.tableName(table.name()).key(b)
                    .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromN("7"))));
            client.deleteItem(delete -> delete.tableName(table.name()).key(a));
            client.deleteItem(delete -> delete.tableName(table.name()).key(itemKey("never-written", "1")));
            client.batchWriteItem(batch -> batch.requestItems(Map.of(table.name(), List.of(
                    WriteRequest.builder().putRequest(put -> put.item(with(itemKey("c", "1"), "v", "3"))).build(),
                    WriteRequest.builder().deleteRequest(delete -> delete.key(b)).build()))));

            List<Record> records = table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON));

            assertThat(records).extracting(record -> record.eventName() + " " + record.dynamodb().keys().get("pk").s()
                            + " old=" + image(record.dynamodb().oldImage()) + " new=" + image(record.dynamodb().newImage()))
                    .as("a repeated put and a delete of nothing change nothing, so they write no record")
                    .containsExactly(
                            "INSERT a old=- new=1",
                            "MODIFY a old=1 new=2",
                            "INSERT b old=- new=7",
                            "REMOVE a old=2 new=-",
                            "INSERT c old=- new=3",
                            "REMOVE b old=7 new=-");
            assertThat(records).allSatisfy(record ->
                    assertThat(record.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES));
        }

        @Test
        void a_keys_only_stream_carries_the_keys_alone() {
            StreamTable table = StreamTable.create(StreamViewType.KEYS_ONLY);

            client.putItem(put -> put.tableName(table.name()).item(with(itemKey("a", "1"), "v", "1")));

            assertThat(table.recordsFrom(table.iterator(ShardIteratorType.TRIM_HORIZON))).singleElement().satisfies(record -> {
                assertThat(record.dynamodb().keys()).isEqualTo(itemKey("a", "1"));
                assertThat(record.dynamodb().hasNewImage()).isFalse();
                assertThat(record.dynamodb().hasOldImage()).isFalse();
            });
        }

        @Test
        void update_table_does_not_change_a_stream_here_and_says_so() {
            StreamTable table = StreamTable.create(StreamViewType.KEYS_ONLY);

            assertThatThrownBy(() -> client.updateTable(update -> update.tableName(table.name())
                    .streamSpecification(spec -> spec.streamEnabled(false))))
                    .isInstanceOfSatisfying(DynamoDbException.class, refused ->
                            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        }

        private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, String name, String number) {
            Map<String, AttributeValue> item = new HashMap<>(key);
            item.put(name, AttributeValue.fromN(number));
            return item;
        }

        private static String image(Map<String, AttributeValue> image) {
            return image.isEmpty() ? "-" : image.get("v").n();
        }
    }

    @Nested
    class As_a_lambda_event {

        @Test
        void a_page_of_get_records_reads_as_the_dynamodb_event_a_projector_receives() {
            StreamTable table = StreamTable.createEventTable();
            StreamId account = StreamId.of("account", "a-" + UUID.randomUUID());
            List<NewEvent> written = List.of(event("AccountOpened"), event("MoneyDeposited"));
            table.store().append(account, 0, written, null);
            table.store().saveSnapshot(new Snapshot(account, 2, 1, "{\"balance\":1250}"));

            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(table.iterator(ShardIteratorType.TRIM_HORIZON)));
            DynamodbEvent event = StreamTap.asLambdaEvent(RAW_BODIES.last(), table.streamArn());

            assertThat(event.getRecords()).hasSize(2);
            DynamodbStreamRecord commit = event.getRecords().getFirst();
            assertThat(commit.getEventSourceARN()).isEqualTo(table.streamArn());
            assertThat(commit.getEventName()).isEqualTo("INSERT");
            assertThat(commit.getEventSource()).isEqualTo("aws:dynamodb");
            assertThat(commit.getDynamodb().getSequenceNumber()).isEqualTo(page.records().getFirst().dynamodb().sequenceNumber());
            assertThat(commit.getDynamodb().getApproximateCreationDateTime().toInstant())
                    .isEqualTo(page.records().getFirst().dynamodb().approximateCreationDateTime());
            assertThat(commit.getDynamodb().getStreamViewType()).isEqualTo("NEW_IMAGE");
            assertThat(commit.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS()).isEqualTo(account.toString());
            assertThat(commit.getDynamodb().getNewImage().get(EventTable.KIND).getS()).isEqualTo(EventTable.COMMIT);
            assertThat(commit.getDynamodb().getNewImage().get("events").getL())
                    .extracting(e -> e.getM().get("id").getS() + " " + e.getM().get("type").getS() + " " + e.getM().get("payload").getS())
                    .containsExactlyElementsOf(written.stream().map(e -> e.eventId() + " " + e.type() + " " + e.payload()).toList());
            assertThat(event.getRecords().get(1).getDynamodb().getNewImage().get(EventTable.KIND).getS())
                    .as("a projector's stream filter passes over snapshots").isEqualTo(EventTable.SNAPSHOT);
        }
    }

    private static NewEvent event(String type) {
        return new NewEvent(UUID.randomUUID(), type, 1, Instant.parse("2026-01-02T03:04:05Z"),
                "{\"type\":\"" + type + "\"}", EventMetadata.forCommand("cmd-" + UUID.randomUUID()));
    }

    private static Map<String, AttributeValue> itemKey(String partition, String sort) {
        return Map.of(EventTable.PARTITION_KEY, AttributeValue.fromS(partition), EventTable.SORT_KEY, AttributeValue.fromN(sort));
    }

    /** A table of its own on the shared server, its stream, and a store writing to it. */
    private record StreamTable(String name, String streamArn, DynamoDbEventStore store) {

        /** The event table as the pipeline creates it ({@link EventTable#createTableRequest()}: NEW_IMAGE). */
        static StreamTable createEventTable() {
            return create(EventTable.STREAM_VIEW);
        }

        static StreamTable create(StreamViewType view) {
            EventTable table = new EventTable("streams-" + UUID.randomUUID());
            DYNAMO.createTable(table.createTableRequest().toBuilder()
                    .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(view))
                    .build());
            String arn = streams.listStreams(b -> b.tableName(table.name())).streams().getFirst().streamArn();
            return new StreamTable(table.name(), arn,
                    new DynamoDbEventStore(DYNAMO.client(), table, StoreLimits.defaults(), Clock.systemUTC()));
        }

        Shard shard() {
            return streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().getFirst();
        }

        String iterator(ShardIteratorType type) {
            return iterator(type, null);
        }

        String iterator(ShardIteratorType type, @Nullable String sequenceNumber) {
            String shardId = shard().shardId();
            return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(type).sequenceNumber(sequenceNumber)).shardIterator();
        }

        /** The pages from an iterator up to the first empty one (not included) or the shard's end. */
        List<GetRecordsResponse> pagesFrom(String iterator, int limit) {
            List<GetRecordsResponse> pages = new ArrayList<>();
            for (@Nullable String next = iterator; next != null; ) {
                String current = next;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(limit));
                if (page.records().isEmpty()) {
                    break;
                }
                pages.add(page);
                next = page.nextShardIterator();
            }
            return pages;
        }

        List<Record> recordsFrom(String iterator) {
            return pagesFrom(iterator, 1000).stream().flatMap(page -> page.records().stream()).toList();
        }

        Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
            return DYNAMO.client().getItem(b -> b.tableName(name).key(key).consistentRead(true)).item();
        }
    }
}
