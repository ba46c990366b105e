package dev.factline.benchmarks.projector;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.factline.functions.projector.BatchFigures;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One projection of some records by the real {@link ProjectorFunction}, in Lambda batches of a
 * given size, into a fresh read table and an empty Redis: each run starts from nothing, as the
 * first delivery of those records does.
 */
record Projection(List<BatchFigures> batches, long nanos) {

    static Projection run(LocalDynamo dynamo, LocalRedis redis, ViewCache cache, EventTable eventTable,
            List<DynamodbStreamRecord> records, int batchSize) {
        ReadTable readTable = new ReadTable("views-" + UUID.randomUUID());
        dynamo.createTable(readTable.createTableRequest());
        redis.admin().flushAll();
        List<BatchFigures> figures = new ArrayList<>();
        ProjectorFunction projector = new ProjectorFunction(dynamo.client(), readTable, eventTable, cache, Clock.systemUTC(), figures::add);
        List<DynamodbEvent> batches = new ArrayList<>();
        for (int from = 0; from < records.size(); from += batchSize) {
            batches.add(StreamTap.withRecords(records.subList(from, Math.min(records.size(), from + batchSize))));
        }
        long start = System.nanoTime();
        for (DynamodbEvent batch : batches) {
            int reported = figures.size();
            int failed = projector.handleRequest(batch, null).getBatchItemFailures().size();
            if (failed > 0) {
                throw new IllegalStateException("the projector failed " + failed + " of a batch's " + batch.getRecords().size() + " records; "
                        + (figures.size() > reported ? "its figures: " + figures.getLast() : "it reported no figures for that batch"));
            }
        }
        return new Projection(List.copyOf(figures), System.nanoTime() - start);
    }

    int events() {
        return batches.stream().mapToInt(BatchFigures::eventsApplied).sum();
    }

    int rowsWritten() {
        return batches.stream().mapToInt(BatchFigures::rowsWritten).sum();
    }

    int redisRoundTrips() {
        return batches.stream().mapToInt(BatchFigures::redisRoundTrips).sum();
    }

    double eventsPerSecond() {
        return events() * 1e9 / nanos;
    }
}
