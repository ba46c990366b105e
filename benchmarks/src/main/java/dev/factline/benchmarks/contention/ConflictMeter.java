package dev.factline.benchmarks.contention;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Counts, from outside the projector, its transactions and those DynamoDB (here dynalite) cancelled for a conflict. */
final class ConflictMeter implements ExecutionInterceptor {

    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest) {
            transactions.incrementAndGet();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()
                && cancelled.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()))) {
            conflicts.incrementAndGet();
        }
    }

    int transactions() {
        return transactions.get();
    }

    int conflicts() {
        return conflicts.get();
    }
}
