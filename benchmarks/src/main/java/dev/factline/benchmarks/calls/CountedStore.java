package dev.factline.benchmarks.calls;

import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * The DynamoDB event store on a fresh table of a local DynamoDB, through a client whose every
 * call a {@link CallCounter} counts: what the store's paths cost as AWS bills them, and the bytes
 * of the responses (what a read brings over the wire). Writes refused by their condition are
 * counted apart: each is a writer that lost a race for a version (or a key's claim found in
 * place), seen where DynamoDB refuses it. Public for the snapshot section, which counts loads.
 */
public final class CountedStore implements AutoCloseable {

    /**
     * The calls some work made: by operation, as the SDK names them, in all, how many were
     * refused writes, and the bytes of their responses' bodies (as {@code Content-Length} gives them).
     */
    public record Calls(Map<String, Integer> byOperation, int total, int refusedWrites, long responseBytes) {

        static final Calls NONE = new Calls(Map.of(), 0, 0, 0);

        Calls plus(Calls other) {
            Map<String, Integer> sum = new TreeMap<>(byOperation);
            other.byOperation.forEach((operation, count) -> sum.merge(operation, count, Integer::sum));
            return new Calls(sum, total + other.total, refusedWrites + other.refusedWrites, responseBytes + other.responseBytes);
        }
    }

    private final CallCounter counter = new CallCounter();
    private final AtomicInteger refusedWrites = new AtomicInteger();
    private final AtomicLong responseBytes = new AtomicLong();
    private final DynamoDbClient client;
    private final EventTable table;
    private final DynamoDbEventStore store;

    /** A fresh event table named {@code tablePrefix} and a random suffix. */
    public CountedStore(LocalDynamo dynamo, String tablePrefix) {
        table = new EventTable(tablePrefix + "-" + UUID.randomUUID());
        // Without its stream: nothing here reads it, and dynalite would keep a copy of every item written.
        dynamo.createTable(table.createTableRequest().toBuilder().streamSpecification((StreamSpecification) null).build());
        client = dynamo.clientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(counter)
                        .addExecutionInterceptor(new ExecutionInterceptor() {
                            @Override
                            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                                context.httpResponse().firstMatchingHeader("Content-Length")
                                        .ifPresent(length -> responseBytes.addAndGet(Long.parseLong(length)));
                            }

                            @Override
                            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                                if (context.exception() instanceof ConditionalCheckFailedException) {
                                    refusedWrites.incrementAndGet();
                                }
                            }
                        }))
                .build();
        store = new DynamoDbEventStore(client, table, StoreLimits.defaults(), Clock.systemUTC());
    }

    public DynamoDbEventStore store() {
        return store;
    }

    /** The counted client, for what keeps other items in the same table (subjects' data keys). */
    public DynamoDbClient client() {
        return client;
    }

    public EventTable table() {
        return table;
    }

    /** Runs {@code work} and returns the calls it made, and only those. */
    public Calls callsOf(Runnable work) {
        counter.reset();
        refusedWrites.set(0);
        responseBytes.set(0);
        work.run();
        return new Calls(counter.calls(), counter.total(), refusedWrites.get(), responseBytes.get());
    }

    @Override
    public void close() {
        client.close();
    }
}
