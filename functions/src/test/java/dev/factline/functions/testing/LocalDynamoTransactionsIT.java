package dev.factline.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * TransactWriteItems as the launcher serves it beside dynalite ({@code tools/dynalite-transactions.js}),
 * through the SDK's own client over real connections: all or nothing with a reason per item, what
 * each action does, the requests refused, client request tokens, stream records, isolation from
 * other transactions and from plain writes, and the conflicts DynamoDB answers where they meet.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalDynamoTransactionsIT {

    private static final LocalDynamo DYNAMO = LocalDynamo.shared();
    private static final DynamoDbClient CLIENT = DYNAMO.client();
    private static final AttributeValue ONE = n("1");

    private static DynamoDbStreamsClient streams;

    @BeforeAll
    static void connect() {
        streams = DYNAMO.streamsClientBuilder().build();
    }

    @AfterAll
    static void disconnect() {
        streams.close();
    }

    @Nested
    class All_or_nothing {

        @Test
        void one_failing_condition_among_several_writes_nothing_and_gives_each_item_s_reason_in_order() {
            String table = createTable();
            putPlainly(table, item("a", "v", n("1")));
            putPlainly(table, item("c", "v", n("3")));

            assertThatThrownBy(() -> transact(
                    put(table, item("b", "v", n("2")), "attribute_not_exists(pk)"),
                    withOldItemOnFailure(update(table, "a", "SET v = :two", "v = :ten", Map.of(":two", n("2"), ":ten", n("10")))),
                    delete(table, "c"),
                    check(table, "d", "attribute_not_exists(pk)")))
                    .isInstanceOfSatisfying(TransactionCanceledException.class, cancelled -> {
                        assertThat(cancelled.statusCode()).isEqualTo(400);
                        assertThat(cancelled.awsErrorDetails().errorMessage()).isEqualTo("Transaction cancelled, please refer"
                                + " cancellation reasons for specific reasons [None, ConditionalCheckFailed, None, None]");
                        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                                .containsExactly("None", "ConditionalCheckFailed", "None", "None");
                        CancellationReason failed = cancelled.cancellationReasons().get(1);
                        assertThat(failed.message()).isEqualTo("The conditional request failed");
                        assertThat(failed.item()).as("ALL_OLD: the item as it was").isEqualTo(item("a", "v", n("1")));
                        assertThat(cancelled.cancellationReasons()).filteredOn(reason -> reason.code().equals("None"))
                                .allSatisfy(reason -> assertThat(reason.hasItem()).isFalse());
                    });

            assertThat(stored(table, "a")).isEqualTo(item("a", "v", n("1")));
            assertThat(stored(table, "b")).isEmpty();
            assertThat(stored(table, "c")).isEqualTo(item("c", "v", n("3")));
        }

        @Test
        void every_failed_condition_is_named_and_only_an_existing_item_asked_for_comes_back() {
            String table = createTable();
            putPlainly(table, item("a", "v", n("1")));
            putPlainly(table, item("b", "v", n("2")));

            assertThatThrownBy(() -> transact(
                    withOldItemOnFailure(put(table, item("absent", "v", n("9")), "attribute_exists(pk)")),
                    delete(table, "a", "v = :ten", Map.of(":ten", n("10"))),
                    withOldItemOnFailure(delete(table, "b", "v = :ten", Map.of(":ten", n("10")))),
                    update(table, "c", "SET v = :one", Map.of(":one", ONE))))
                    .isInstanceOfSatisfying(TransactionCanceledException.class, cancelled -> {
                        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                                .containsExactly("ConditionalCheckFailed", "ConditionalCheckFailed", "ConditionalCheckFailed", "None");
                        assertThat(cancelled.cancellationReasons().get(0).hasItem()).as("ALL_OLD of an absent item").isFalse();
                        assertThat(cancelled.cancellationReasons().get(1).hasItem()).as("ALL_OLD not asked for").isFalse();
                        assertThat(cancelled.cancellationReasons().get(2).item()).isEqualTo(item("b", "v", n("2")));
                    });

            assertThat(stored(table, "a")).isNotEmpty();
            assertThat(stored(table, "b")).isNotEmpty();
            assertThat(stored(table, "c")).isEmpty();
        }

        @Test
        void a_transaction_commits_its_items_in_several_tables_together() {
            String orders = createTable();
            String totals = createTable();

            transact(
                    put(orders, item("o-1", "amount", n("12.50")), "attribute_not_exists(pk)"),
                    update(totals, "all", "ADD amount :amount", Map.of(":amount", n("12.50"))));

            assertThat(stored(orders, "o-1")).isEqualTo(item("o-1", "amount", n("12.5")));
            assertThat(stored(totals, "all")).isEqualTo(item("all", "amount", n("12.5")));
        }
    }

    @Nested
    class Each_action {

        @Test
        void put_replaces_the_whole_item() {
            String table = createTable();
            putPlainly(table, with(item("a", "v", n("1")), "w", AttributeValue.fromS("x")));

            transact(put(table, item("a", "u", n("2")), null));

            assertThat(stored(table, "a")).isEqualTo(item("a", "u", n("2")));
        }

        @Test
        void update_sets_attributes_and_adds_to_numbers_creating_an_absent_item() {
            String table = createTable();

            transact(update(table, "n", "SET label = :label ADD tally :two",
                    Map.of(":label", AttributeValue.fromS("first"), ":two", n("2"))));
            assertThat(stored(table, "n")).isEqualTo(with(item("n", "label", AttributeValue.fromS("first")), "tally", n("2")));

            transact(update(table, "n", "SET label = :label ADD tally :half",
                    Map.of(":label", AttributeValue.fromS("second"), ":half", n("0.5"))));
            assertThat(stored(table, "n")).isEqualTo(with(item("n", "label", AttributeValue.fromS("second")), "tally", n("2.5")));
        }

        @Test
        void update_removes_attributes_and_computes_from_the_stored_item() {
            String table = createTable();
            putPlainly(table, with(item("a", "v", n("5")), "w", AttributeValue.fromS("x")));

            transact(update(table, "a", "SET v = v + :three REMOVE w", Map.of(":three", n("3"))));

            assertThat(stored(table, "a")).isEqualTo(item("a", "v", n("8")));
        }

        @Test
        void delete_removes_the_item_and_deleting_an_absent_one_succeeds() {
            String table = createTable();
            putPlainly(table, item("a", "v", n("1")));

            transact(delete(table, "a"), delete(table, "never-written"));

            assertThat(stored(table, "a")).isEmpty();
            assertThat(stored(table, "never-written")).isEmpty();
        }

        @Test
        void a_condition_check_changes_nothing_and_guards_the_other_items() {
            String table = createTable();
            putPlainly(table, item("guard", "accepting", AttributeValue.fromBool(true)));

            transact(check(table, "guard", "accepting = :yes", Map.of(":yes", AttributeValue.fromBool(true))),
                    put(table, item("b", "v", ONE), null));
            assertThatThrownBy(() -> transact(check(table, "guard", "accepting = :no", Map.of(":no", AttributeValue.fromBool(false))),
                    put(table, item("c", "v", ONE), null)))
                    .isInstanceOf(TransactionCanceledException.class);
            assertThatThrownBy(() -> transact(check(table, "absent", "attribute_exists(pk)"), put(table, item("d", "v", ONE), null)))
                    .isInstanceOf(TransactionCanceledException.class);

            assertThat(stored(table, "guard")).isEqualTo(item("guard", "accepting", AttributeValue.fromBool(true)));
            assertThat(stored(table, "absent")).as("a check of an absent item creates none").isEmpty();
            assertThat(stored(table, "b")).isNotEmpty();
            assertThat(stored(table, "c")).isEmpty();
            assertThat(stored(table, "d")).isEmpty();
        }

        @Test
        void conditions_read_expression_attribute_names_and_values_against_the_stored_item() {
            String table = createTable();
            putPlainly(table, item("a", "version", n("5")));
            TransactWriteItem bump = TransactWriteItem.builder().update(update -> update.tableName(table).key(key("a"))
                    .updateExpression("SET #version = #version + :one").conditionExpression("#version < :max")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":one", ONE, ":max", n("7")))).build();

            transact(bump);
            transact(bump);
            assertThatThrownBy(() -> transact(bump)).isInstanceOf(TransactionCanceledException.class);

            assertThat(stored(table, "a")).isEqualTo(item("a", "version", n("7")));
        }
    }

    @Nested
    class Refused_requests {

        @Test
        void two_actions_on_one_item_are_a_validation_error_even_with_its_key_spelled_another_way() {
            String table = createTable();
            Map<String, AttributeValue> sameKey = Map.of("pk", AttributeValue.fromS("a"), "sk", n("1.0"));

            assertThatThrownBy(() -> transact(put(table, item("a", "v", ONE), null),
                    TransactWriteItem.builder().conditionCheck(check -> check.tableName(table).key(sameKey)
                            .conditionExpression("attribute_not_exists(pk)")).build()))
                    .satisfies(refused -> assertValidationError(refused,
                            "Transaction request cannot include multiple operations on one item"));

            assertThat(stored(table, "a")).isEmpty();
        }

        @Test
        void a_hundred_items_commit_and_a_hundred_and_one_or_none_are_refused() {
            String table = createTable();
            List<TransactWriteItem> hundred = IntStream.range(0, 100)
                    .mapToObj(i -> put(table, item("item-" + i, "v", ONE), null)).toList();
            List<TransactWriteItem> hundredAndOne = new ArrayList<>(hundred);
            hundredAndOne.add(put(table, item("item-100", "v", ONE), null));

            assertThatThrownBy(() -> CLIENT.transactWriteItems(b -> b.transactItems(hundredAndOne)))
                    .satisfies(refused -> assertValidationError(refused,
                            "at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100"));
            assertThatThrownBy(() -> CLIENT.transactWriteItems(b -> b.transactItems(List.of())))
                    .satisfies(refused -> assertValidationError(refused, "1 validation error detected: Value '[]' at 'transactItems'"
                            + " failed to satisfy constraint: Member must have length greater than or equal to 1"));
            assertThat(stored(table, "item-0")).isEmpty();

            CLIENT.transactWriteItems(b -> b.transactItems(hundred));
            assertThat(stored(table, "item-0")).isNotEmpty();
            assertThat(stored(table, "item-99")).isNotEmpty();
        }

        @Test
        void an_unknown_table_is_not_found_and_the_other_items_are_not_written() {
            String table = createTable();

            assertThatThrownBy(() -> transact(put(table, item("a", "v", ONE), null),
                    put("never-created-" + UUID.randomUUID(), item("b", "v", ONE), null)))
                    .isInstanceOf(ResourceNotFoundException.class);

            assertThat(stored(table, "a")).isEmpty();
        }

        @Test
        void an_item_with_two_actions_is_refused() {
            String table = createTable();
            TransactWriteItem both = put(table, item("a", "v", ONE), null).toBuilder()
                    .delete(delete -> delete.tableName(table).key(key("b"))).build();

            assertThatThrownBy(() -> transact(both)).satisfies(refused -> assertValidationError(refused,
                    "TransactItems can only contain one of Check, Put, Update or Delete"));
        }

        @Test
        void an_invalid_update_expression_is_refused_as_dynalite_words_it_and_nothing_is_written() {
            String table = createTable();

            assertThatThrownBy(() -> transact(put(table, item("a", "v", ONE), null),
                    update(table, "b", "ADD v :one oops", Map.of(":one", ONE))))
                    .satisfies(refused -> assertValidationError(refused, "Invalid UpdateExpression: Syntax error"));

            assertThat(stored(table, "a")).isEmpty();
        }

        @Test
        void a_put_without_its_whole_key_and_a_check_without_a_condition_are_refused() {
            String table = createTable();

            assertThatThrownBy(() -> transact(put(table, Map.of("pk", AttributeValue.fromS("a")), null)))
                    .satisfies(refused -> assertValidationError(refused,
                            "One or more parameter values were invalid: Missing the key sk in the item"));
            assertThatThrownBy(() -> transact(TransactWriteItem.builder()
                    .conditionCheck(check -> check.tableName(table).key(key("a"))).build()))
                    .satisfies(refused -> assertValidationError(refused, "1 validation error detected: Value null at"
                            + " 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint:"
                            + " Member must not be null"));
        }

        @Test
        void the_tables_that_evaluate_transactions_stay_out_of_list_tables() {
            String table = createTable();
            transact(put(table, item("a", "v", ONE), null));

            List<String> names = CLIENT.listTablesPaginator().tableNames().stream().toList();

            assertThat(names).contains(table).noneSatisfy(name -> assertThat(name).startsWith("__"));
        }
    }

    /** The SDK puts a token of its own in every request, and its retries repeat it. */
    @Nested
    class Client_request_tokens {

        @Test
        void a_transaction_repeated_with_its_token_is_applied_once() {
            String table = createTable();
            TransactWriteItemsRequest request = TransactWriteItemsRequest.builder()
                    .transactItems(update(table, "counter", "ADD tally :one", Map.of(":one", ONE)))
                    .clientRequestToken(UUID.randomUUID().toString())
                    .build();

            CLIENT.transactWriteItems(request);
            CLIENT.transactWriteItems(request);

            assertThat(stored(table, "counter")).isEqualTo(item("counter", "tally", ONE));
        }

        @Test
        void a_token_used_by_another_request_is_a_parameter_mismatch() {
            String table = createTable();
            String token = UUID.randomUUID().toString();

            transact(b -> b.clientRequestToken(token), update(table, "counter", "ADD tally :one", Map.of(":one", ONE)));

            assertThatThrownBy(() -> transact(b -> b.clientRequestToken(token),
                    update(table, "counter", "ADD tally :two", Map.of(":two", n("2")))))
                    .isInstanceOf(IdempotentParameterMismatchException.class);
            assertThat(stored(table, "counter")).isEqualTo(item("counter", "tally", ONE));
        }

        @Test
        void a_cancelled_transaction_keeps_no_token_so_its_retry_can_commit() {
            String table = createTable();
            TransactWriteItemsRequest request = TransactWriteItemsRequest.builder()
                    .transactItems(check(table, "guard", "attribute_exists(pk)"), put(table, item("b", "v", ONE), null))
                    .clientRequestToken(UUID.randomUUID().toString())
                    .build();

            assertThatThrownBy(() -> CLIENT.transactWriteItems(request)).isInstanceOf(TransactionCanceledException.class);
            putPlainly(table, item("guard", "v", ONE));
            CLIENT.transactWriteItems(request);

            assertThat(stored(table, "b")).isNotEmpty();
        }
    }

    @Nested
    class Stream_records {

        @Test
        void a_transaction_records_one_change_per_changed_item_in_request_order() {
            String table = createTable(StreamViewType.NEW_AND_OLD_IMAGES);
            putPlainly(table, item("a", "v", n("1")));
            putPlainly(table, item("c", "v", n("3")));
            putPlainly(table, item("d", "v", n("4")));
            putPlainly(table, item("same", "v", n("7")));
            String afterThePuts = latestIterator(table);

            transact(
                    update(table, "a", "SET v = :two", Map.of(":two", n("2"))),
                    put(table, item("b", "v", n("5")), "attribute_not_exists(pk)"),
                    delete(table, "c"),
                    check(table, "d", "attribute_exists(pk)"),
                    delete(table, "never-written"),
                    put(table, item("same", "v", n("7")), null));

            assertThat(recordsFrom(afterThePuts))
                    .extracting(record -> record.eventName() + " " + record.dynamodb().keys().get("pk").s()
                            + " old=" + image(record.dynamodb().oldImage()) + " new=" + image(record.dynamodb().newImage()))
                    .as("a check, a delete of nothing and a put of the same item again change nothing")
                    .containsExactly("MODIFY a old=1 new=2", "INSERT b old=- new=5", "REMOVE c old=3 new=-");
        }

        @Test
        void a_cancelled_transaction_records_nothing() {
            String table = createTable(StreamViewType.NEW_IMAGE);
            putPlainly(table, item("a", "v", n("1")));
            String afterThePut = latestIterator(table);

            assertThatThrownBy(() -> transact(put(table, item("b", "v", n("5")), null),
                    update(table, "a", "SET v = :two", "v = :two", Map.of(":two", n("2")))))
                    .isInstanceOf(TransactionCanceledException.class);

            assertThat(recordsFrom(afterThePut)).isEmpty();
        }

        private static String image(Map<String, AttributeValue> image) {
            return image.isEmpty() ? "-" : image.get("v").n();
        }
    }

    @Nested
    class Isolation_and_conflicts {

        /**
         * For each claim, one transaction of all that race for it commits and adds one to the
         * counter; the others lose the claim, or meet a transaction in flight on the counter or the
         * claim and are cancelled with TransactionConflict for that item alone, as DynamoDB cancels
         * them, and try again.
         */
        @Test
        void concurrent_transactions_on_one_counter_conflict_as_on_dynamodb_and_lose_no_update() throws Exception {
            String table = createTable();
            int threads = 8;
            int claims = 25;
            List<TransactionCanceledException> conflicts = new CopyOnWriteArrayList<>();
            List<Callable<Integer>> workers = IntStream.range(0, threads).<Callable<Integer>>mapToObj(w -> () -> {
                int committed = 0;
                for (int claim = 0; claim < claims; claim++) {
                    TransactWriteItem[] items = {
                            update(table, "counter", "ADD tally :one", Map.of(":one", ONE)),
                            put(table, item("claim-" + claim, "by", n(String.valueOf(w))), "attribute_not_exists(pk)") };
                    try {
                        committed += retriedOnConflict(conflicts, () -> transact(items)) ? 1 : 0;
                    } catch (TransactionCanceledException claimedByAnother) {
                        assertThat(claimedByAnother.cancellationReasons()).extracting(CancellationReason::code)
                                .containsExactly("None", "ConditionalCheckFailed");
                    }
                }
                return committed;
            }).toList();

            int committed = runTogether(workers).stream().mapToInt(Integer::intValue).sum();

            assertThat(committed).isEqualTo(claims);
            assertThat(stored(table, "counter")).isEqualTo(item("counter", "tally", n(String.valueOf(committed))));
            assertThat(conflicts).as("transactions that met another in flight").isNotEmpty().allSatisfy(conflict -> {
                assertThat(conflict.getMessage()).startsWith("Transaction cancelled, please refer cancellation reasons for specific reasons [");
                assertThat(conflict.cancellationReasons()).hasSize(2).allSatisfy(reason -> assertThat(reason.code()).isIn("None", "TransactionConflict"));
                assertThat(conflict.cancellationReasons()).filteredOn(reason -> "TransactionConflict".equals(reason.code())).isNotEmpty()
                        .allSatisfy(reason -> assertThat(reason.message()).isEqualTo("Transaction is ongoing for the item"));
            });
        }

        /** A cancelled transaction wrote nothing: its other items keep what only committed transactions gave them. */
        @Test
        void a_transaction_cancelled_for_a_conflict_writes_none_of_its_items() throws Exception {
            String table = createTable();
            int threads = 6;
            int each = 20;
            List<TransactionCanceledException> conflicts = new CopyOnWriteArrayList<>();
            List<Callable<Integer>> workers = IntStream.range(0, threads).<Callable<Integer>>mapToObj(w -> () -> {
                int cancelledOnce = 0;
                for (int i = 0; i < each; i++) {
                    int before = conflicts.size();
                    // Its own item first, so a conflict on the shared one is the only reason to cancel.
                    transactUntilCommitted(conflicts, update(table, "own-" + w, "ADD tally :one", Map.of(":one", ONE)),
                            update(table, "shared", "ADD tally :one", Map.of(":one", ONE)));
                    cancelledOnce += conflicts.size() > before ? 1 : 0;
                }
                return cancelledOnce;
            }).toList();

            runTogether(workers);

            assertThat(conflicts).isNotEmpty().allSatisfy(conflict -> assertThat(conflict.cancellationReasons())
                    .extracting(CancellationReason::code).containsExactly("None", "TransactionConflict"));
            for (int w = 0; w < threads; w++) {
                assertThat(stored(table, "own-" + w)).isEqualTo(item("own-" + w, "tally", n(String.valueOf(each))));
            }
            assertThat(stored(table, "shared")).isEqualTo(item("shared", "tally", n(String.valueOf(threads * each))));
        }

        /**
         * A plain write on an item of a transaction in flight is refused with
         * TransactionConflictException, as DynamoDB refuses it, and its retry lands: a transaction
         * writes the image it computed, so a plain update landing between its read and its write
         * would be lost.
         */
        @Test
        void plain_updates_meeting_a_transaction_in_flight_are_refused_with_transaction_conflict_and_lose_no_update() throws Exception {
            String table = createTable();
            int threadsOfEach = 4;
            int addsEach = 25;
            List<Exception> refusedPlain = new CopyOnWriteArrayList<>();
            List<TransactionCanceledException> conflicts = new CopyOnWriteArrayList<>();
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < threadsOfEach; w++) {
                String own = "own-" + w;
                workers.add(() -> {
                    for (int i = 0; i < addsEach; i++) {
                        for (;;) {
                            try {
                                CLIENT.updateItem(b -> b.tableName(table).key(key("counter"))
                                        .updateExpression("ADD tally :one").expressionAttributeValues(Map.of(":one", ONE)));
                                break;
                            } catch (TransactionConflictException held) {
                                refusedPlain.add(held);
                            }
                        }
                    }
                    return addsEach;
                });
                workers.add(() -> {
                    for (int i = 0; i < addsEach; i++) {
                        transactUntilCommitted(conflicts, update(table, "counter", "ADD tally :one", Map.of(":one", ONE)),
                                update(table, own, "ADD tally :one", Map.of(":one", ONE)));
                    }
                    return addsEach;
                });
            }

            int adds = runTogether(workers).stream().mapToInt(Integer::intValue).sum();

            assertThat(stored(table, "counter")).isEqualTo(item("counter", "tally", n(String.valueOf(adds))));
            assertThat(refusedPlain).as("plain updates that met a transaction in flight").isNotEmpty().allSatisfy(refusal -> {
                assertThat(refusal).isInstanceOfSatisfying(TransactionConflictException.class, conflict -> {
                    assertThat(conflict.statusCode()).isEqualTo(400);
                    assertThat(conflict.awsErrorDetails().errorCode()).isEqualTo("TransactionConflictException");
                    assertThat(conflict.awsErrorDetails().errorMessage()).isEqualTo("Transaction is ongoing for the item");
                });
            });
        }

        @Test
        void plain_conditional_puts_racing_transactions_on_one_key_never_both_win() throws Exception {
            String table = createTable();
            int rounds = 40;
            int transactionWins = 0;
            for (int round = 0; round < rounds; round++) {
                String contested = "contested-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Boolean> plain = () -> {
                    start.await();
                    for (;;) {
                        try {
                            CLIENT.putItem(b -> b.tableName(table).item(item(contested, "by", AttributeValue.fromS("plain")))
                                    .conditionExpression("attribute_not_exists(pk)"));
                            return true;
                        } catch (ConditionalCheckFailedException lost) {
                            return false;
                        } catch (TransactionConflictException transactionInFlight) {
                            // The transaction's outcome decides; the retry meets it.
                        }
                    }
                };
                Callable<Boolean> transaction = () -> {
                    start.await();
                    try {
                        transact(put(table, item(contested, "by", AttributeValue.fromS("transaction")), "attribute_not_exists(pk)"),
                                update(table, "transaction-wins", "ADD tally :one", Map.of(":one", ONE)));
                        return true;
                    } catch (TransactionCanceledException lost) {
                        return false;
                    }
                };

                List<Boolean> won = runTogether(List.of(plain, transaction));

                assertThat(won).as("round %d: plain, transaction", round).containsExactlyInAnyOrder(true, false);
                assertThat(stored(table, contested).get("by").s()).isEqualTo(won.getFirst() ? "plain" : "transaction");
                transactionWins += won.getLast() ? 1 : 0;
            }
            assertThat(stored(table, "transaction-wins")).isEqualTo(transactionWins == 0
                    ? Map.of() : item("transaction-wins", "tally", n(String.valueOf(transactionWins))));
        }
    }

    /**
     * Runs {@code transaction} until it is not cancelled for a conflict, each such cancellation
     * added to {@code conflicts}; true when it committed. Other cancellations are thrown.
     */
    private static boolean retriedOnConflict(List<TransactionCanceledException> conflicts, Runnable transaction) {
        for (;;) {
            try {
                transaction.run();
                return true;
            } catch (TransactionCanceledException cancelled) {
                if (cancelled.cancellationReasons().stream().noneMatch(reason -> "TransactionConflict".equals(reason.code()))) {
                    throw cancelled;
                }
                conflicts.add(cancelled);
            }
        }
    }

    private static void transactUntilCommitted(List<TransactionCanceledException> conflicts, TransactWriteItem... items) {
        retriedOnConflict(conflicts, () -> transact(items));
    }

    // Helpers: a table of pk (string) and sk (number); every item here has sk 1.

    private static String createTable() {
        return createTable(null);
    }

    private static String createTable(@Nullable StreamViewType streamView) {
        String name = "transactions-" + UUID.randomUUID();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
        if (streamView != null) {
            request.streamSpecification(spec -> spec.streamEnabled(true).streamViewType(streamView));
        }
        DYNAMO.createTable(request.build());
        return name;
    }

    private static AttributeValue n(String number) {
        return AttributeValue.fromN(number);
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", ONE);
    }

    private static Map<String, AttributeValue> item(String pk, String name, AttributeValue value) {
        return with(key(pk), name, value);
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String name, AttributeValue value) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        copy.put(name, value);
        return copy;
    }

    private static void putPlainly(String table, Map<String, AttributeValue> item) {
        CLIENT.putItem(b -> b.tableName(table).item(item));
    }

    /** The item as stored (consistent read); empty when there is none. */
    private static Map<String, AttributeValue> stored(String table, String pk) {
        return CLIENT.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
    }

    private static void transact(TransactWriteItem... items) {
        transact(b -> { }, items);
    }

    private static void transact(Consumer<TransactWriteItemsRequest.Builder> settings, TransactWriteItem... items) {
        CLIENT.transactWriteItems(b -> settings.accept(b.transactItems(items)));
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> item, @Nullable String condition) {
        return TransactWriteItem.builder().put(put -> put.tableName(table).item(item).conditionExpression(condition)).build();
    }

    private static TransactWriteItem update(String table, String pk, String expression, Map<String, AttributeValue> values) {
        return update(table, pk, expression, null, values);
    }

    private static TransactWriteItem update(
            String table, String pk, String expression, @Nullable String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().update(update -> update.tableName(table).key(key(pk))
                .updateExpression(expression).conditionExpression(condition).expressionAttributeValues(values)).build();
    }

    private static TransactWriteItem delete(String table, String pk) {
        return TransactWriteItem.builder().delete(delete -> delete.tableName(table).key(key(pk))).build();
    }

    private static TransactWriteItem delete(String table, String pk, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().delete(delete -> delete.tableName(table).key(key(pk))
                .conditionExpression(condition).expressionAttributeValues(values)).build();
    }

    private static TransactWriteItem check(String table, String pk, String condition) {
        return TransactWriteItem.builder().conditionCheck(check -> check.tableName(table).key(key(pk))
                .conditionExpression(condition)).build();
    }

    private static TransactWriteItem check(String table, String pk, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().conditionCheck(check -> check.tableName(table).key(key(pk))
                .conditionExpression(condition).expressionAttributeValues(values)).build();
    }

    /** The item (a put, update or delete) with ReturnValuesOnConditionCheckFailure ALL_OLD. */
    private static TransactWriteItem withOldItemOnFailure(TransactWriteItem item) {
        ReturnValuesOnConditionCheckFailure allOld = ReturnValuesOnConditionCheckFailure.ALL_OLD;
        if (item.put() != null) {
            return item.toBuilder().put(item.put().toBuilder().returnValuesOnConditionCheckFailure(allOld).build()).build();
        }
        if (item.update() != null) {
            return item.toBuilder().update(item.update().toBuilder().returnValuesOnConditionCheckFailure(allOld).build()).build();
        }
        return item.toBuilder().delete(item.delete().toBuilder().returnValuesOnConditionCheckFailure(allOld).build()).build();
    }

    private static void assertValidationError(Throwable refused, String messagePart) {
        assertThat(refused).isInstanceOfSatisfying(DynamoDbException.class, exception -> {
            assertThat(exception.statusCode()).isEqualTo(400);
            assertThat(exception.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(exception.awsErrorDetails().errorMessage()).contains(messagePart);
        });
    }

    /** Runs the tasks on threads of their own and returns their results in task order. */
    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = pool.invokeAll(tasks);
            for (Future<T> future : futures) {
                results.add(future.get());
            }
        }
        return results;
    }

    private static String latestIterator(String table) {
        String arn = streams.listStreams(b -> b.tableName(table)).streams().getFirst().streamArn();
        String shardId = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().getFirst().shardId();
        return streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId).shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator();
    }

    private static List<Record> recordsFrom(String iterator) {
        return streams.getRecords(b -> b.shardIterator(iterator)).records();
    }
}
