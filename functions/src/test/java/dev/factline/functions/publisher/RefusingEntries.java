package dev.factline.functions.publisher;

import dev.factline.functions.publisher.PublishedEnvelope.EventKey;
import dev.factline.functions.publisher.ScriptedSink.Refusals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Partial PutRecords failures on a real server, which kinesalite never produces by itself (it
 * stores every entry of a valid request). On the client's way out, the entries the rule refuses
 * are taken out of the request, so the server really never stores them; on the way back, a
 * result with Kinesis' throttling error is put in at each of their places and
 * {@code FailedRecordCount} raised, so the answer reads exactly as Kinesis shapes a partial
 * failure. The publisher's adapter and retries run unchanged against it.
 *
 * <p>A request whose every entry is refused still has to be sent (an interceptor cannot skip the
 * call): it goes to {@code dumpStream} with one placeholder entry instead, and its answer is
 * rewritten as all refused. The stream under test never sees it.
 */
final class RefusingEntries implements ExecutionInterceptor {

    static final String THROTTLED = "ProvisionedThroughputExceededException";
    private static final ExecutionAttribute<List<Integer>> REFUSED = new ExecutionAttribute<>("factline.refusedEntries");
    private static final ExecutionAttribute<Integer> ENTRIES = new ExecutionAttribute<>("factline.requestedEntries");

    private final String dumpStream;
    private final Map<EventKey, Integer> attempts = new ConcurrentHashMap<>();
    private final List<List<EventKey>> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Refusals rule = Refusals.none();

    RefusingEntries(String dumpStream) {
        this.dumpStream = dumpStream;
    }

    void refuse(Refusals value) {
        this.rule = value;
    }

    /** The events of each call as the publisher sent it, refused ones included. */
    List<List<EventKey>> calls() {
        return List.copyOf(calls);
    }

    int refused() {
        return refused.get();
    }

    int attemptsOf(EventKey event) {
        return attempts.getOrDefault(event, 0);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof PutRecordsRequest request)) {
            return context.request();
        }
        List<Integer> refusedHere = new ArrayList<>();
        List<PutRecordsRequestEntry> kept = new ArrayList<>();
        List<EventKey> sent = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            PutRecordsRequestEntry entry = request.records().get(i);
            EventKey event = PublishedEnvelope.parse(entry.data().asByteArray()).key();
            sent.add(event);
            if (rule.refuse(event, attempts.merge(event, 1, Integer::sum))) {
                refusedHere.add(i);
            } else {
                kept.add(entry);
            }
        }
        calls.add(sent);
        refused.addAndGet(refusedHere.size());
        attributes.putAttribute(REFUSED, refusedHere);
        attributes.putAttribute(ENTRIES, request.records().size());
        if (kept.isEmpty()) {
            return request.toBuilder().streamName(dumpStream)
                    .records(PutRecordsRequestEntry.builder().partitionKey("placeholder").data(SdkBytes.fromUtf8String("{}")).build())
                    .build();
        }
        return request.toBuilder().records(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        List<Integer> refusedHere = attributes.getAttribute(REFUSED);
        if (!(context.response() instanceof PutRecordsResponse response) || refusedHere == null || refusedHere.isEmpty()) {
            return context.response();
        }
        int entries = attributes.getAttribute(ENTRIES);
        boolean allRefused = refusedHere.size() == entries;
        List<PutRecordsResultEntry> results = new ArrayList<>(entries);
        int stored = 0;
        for (int i = 0; i < entries; i++) {
            if (refusedHere.contains(i)) {
                results.add(PutRecordsResultEntry.builder()
                        .errorCode(THROTTLED)
                        .errorMessage("Rate exceeded for shard shardId-000000000000 in stream under test (injected)")
                        .build());
            } else {
                results.add(response.records().get(stored++));
            }
        }
        int failed = (allRefused ? 0 : response.failedRecordCount()) + refusedHere.size();
        return response.toBuilder().records(results).failedRecordCount(failed).build();
    }
}
