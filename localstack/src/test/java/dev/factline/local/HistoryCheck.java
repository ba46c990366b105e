package dev.factline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.local.LoadClient.Sent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * What the fault suite checks a history against: the event table as it is (read raw, with a
 * consistent scan, not through the project's store), the Kinesis stream as a consumer reads it
 * (every shard from its start), and the read side over HTTP. Each check returns what it found
 * wrong, so that a failure names the stream and the event.
 */
final class HistoryCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One event as the table holds it. */
    record Event(String stream, long version, String id, String type, JsonNode payload, String correlationId) {
    }

    /** One commit item: the events one command appended. */
    record Commit(String stream, long firstVersion, long lastVersion, @Nullable String idempotencyKey, List<Event> events) {
    }

    /** One Kinesis record as a consumer reads it. */
    record Published(String shard, String stream, long version, String eventId) {
    }

    /** Every commit of the event table, by stream, in version order. */
    static Map<String, List<Commit>> eventTable(DynamoDbClient dynamo, String table) {
        Map<String, List<Commit>> byStream = new TreeMap<>();
        @Nullable Map<String, AttributeValue> after = null;
        do {
            Map<String, AttributeValue> start = after;
            ScanResponse page = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(start));
            for (Map<String, AttributeValue> item : page.items()) {
                if (!"commit".equals(text(item, "kind"))) {
                    continue;
                }
                String stream = text(item, "pk");
                long first = Long.parseLong(item.get("sk").n());
                List<Event> events = new ArrayList<>();
                List<AttributeValue> encoded = item.get("events").l();
                for (int i = 0; i < encoded.size(); i++) {
                    Map<String, AttributeValue> event = encoded.get(i).m();
                    events.add(new Event(stream, first + i, text(event, "id"), text(event, "type"), json(text(event, "payload")),
                            text(event, "correlationId")));
                }
                byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(new Commit(stream, first,
                        Long.parseLong(item.get("lastVersion").n()), text(item, "idempotencyKey"), events));
            }
            after = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (after != null);
        byStream.values().forEach(commits -> commits.sort(Comparator.comparingLong(Commit::firstVersion)));
        return byStream;
    }

    static List<Event> events(Map<String, List<Commit>> table) {
        return table.values().stream().flatMap(List::stream).flatMap(commit -> commit.events().stream()).toList();
    }

    /** Every record of the stream, shard by shard, each shard in its order. */
    static List<Published> kinesis(KinesisClient kinesis, String stream) {
        List<Published> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record record : page.records()) {
                    JsonNode envelope = json(record.data().asString(StandardCharsets.UTF_8));
                    records.add(new Published(shard.shardId(), envelope.path("streamId").asText(), envelope.path("version").asLong(),
                            envelope.path("eventId").asText()));
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return records;
    }

    /** Versions that are not 1, 2, 3, ... per stream, commit after commit. */
    static List<String> versionGaps(Map<String, List<Commit>> table) {
        List<String> gaps = new ArrayList<>();
        table.forEach((stream, commits) -> {
            long expected = 1;
            for (Commit commit : commits) {
                if (commit.firstVersion() != expected || commit.lastVersion() != commit.firstVersion() + commit.events().size() - 1) {
                    gaps.add(stream + ": commit at " + commit.firstVersion() + ".." + commit.lastVersion() + " where " + expected + " was next");
                }
                expected = commit.lastVersion() + 1;
            }
        });
        return gaps;
    }

    /** Events whose correlation id no command of the history carried (saga events carry their cause's). */
    static List<String> unexplained(List<Event> events, List<Sent> history) {
        Set<String> sent = new HashSet<>();
        history.forEach(command -> sent.add(command.correlationId()));
        return events.stream().filter(event -> !sent.contains(event.correlationId()))
                .map(event -> event.stream() + "@" + event.version() + " " + event.type() + " (correlation " + event.correlationId() + ")").toList();
    }

    /**
     * Kinesis against the table: events missing from Kinesis, records out of per-stream order (a
     * version published before the one before it), records no event explains; and how many records
     * repeat an event already published (what the at-least-once guarantee allows).
     */
    record KinesisFindings(List<String> missing, List<String> outOfOrder, List<String> unknown, int duplicates) {

        boolean complete() {
            return missing.isEmpty() && outOfOrder.isEmpty() && unknown.isEmpty();
        }
    }

    static KinesisFindings kinesisAgainst(List<Event> events, List<Published> published) {
        Map<String, Event> byId = new HashMap<>();
        events.forEach(event -> byId.put(event.id(), event));
        Map<String, Long> highest = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> outOfOrder = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int duplicates = 0;
        for (Published record : published) {
            Event event = byId.get(record.eventId());
            if (event == null || event.version() != record.version() || !event.stream().equals(record.stream())) {
                unknown.add(record.toString());
                continue;
            }
            if (!seen.add(record.eventId())) {
                duplicates++;
                continue;
            }
            long before = highest.getOrDefault(record.stream(), 0L);
            if (record.version() != before + 1) {
                outOfOrder.add(record.stream() + "@" + record.version() + " published after @" + before + " in " + record.shard());
            }
            highest.put(record.stream(), Math.max(before, record.version()));
        }
        List<String> missing = events.stream().filter(event -> !seen.contains(event.id())).map(event -> event.stream() + "@" + event.version())
                .toList();
        return new KinesisFindings(missing, outOfOrder, unknown, duplicates);
    }

    /**
     * The read side against a replay of the table: each account's view (version, balance) and each
     * order's (version, status) as its events make it, and no order left unsettled by the saga.
     */
    static List<String> readSideAgainst(URI api, Map<String, List<Commit>> table) {
        List<String> differences = new ArrayList<>();
        table.forEach((stream, commits) -> {
            List<Event> events = commits.stream().flatMap(commit -> commit.events().stream()).toList();
            Event last = events.getLast();
            if (stream.startsWith("account#")) {
                long balance = balance(events);
                JsonNode view = get(api, "/accounts/" + stream.substring("account#".length()));
                if (view == null || view.path("version").asLong() != last.version() || view.path("balance").path("minorUnits").asLong() != balance) {
                    differences.add(stream + ": view " + view + ", replay version " + last.version() + " balance " + balance);
                }
            } else if (stream.startsWith("order#")) {
                String status = switch (last.type()) {
                    case "OrderPlaced" -> "PLACED";
                    case "OrderPaid" -> "PAID";
                    case "OrderCancelled" -> "CANCELLED";
                    case "OrderShipped" -> "SHIPPED";
                    default -> last.type();
                };
                if (status.equals("PLACED")) {
                    differences.add(stream + ": still PLACED (the saga has not settled it)");
                }
                JsonNode view = get(api, "/orders/" + stream.substring("order#".length()));
                if (view == null || view.path("version").asLong() != last.version() || !view.path("status").asText().equals(status)) {
                    differences.add(stream + ": view " + view + ", replay version " + last.version() + " status " + status);
                }
            }
        });
        return differences;
    }

    /**
     * Money: per order, what its account was debited less what it was refunded is its total when it
     * ended paid and nothing when it ended cancelled; per account, no balance below zero. With the
     * views equal to the replay, balances = deposits - withdrawals - payments + refunds.
     */
    static List<String> moneyProblems(Map<String, List<Commit>> table) {
        Map<String, Long> netDebits = new HashMap<>();
        List<String> problems = new ArrayList<>();
        table.forEach((stream, commits) -> {
            if (!stream.startsWith("account#")) {
                return;
            }
            long balance = 0;
            for (Commit commit : commits) {
                for (Event event : commit.events()) {
                    balance += signedAmount(event);
                    String order = event.payload().path("orderId").asText("");
                    if (!order.isEmpty() && (event.type().equals("AccountDebited") || event.type().equals("AccountRefunded"))) {
                        netDebits.merge(order, -signedAmount(event), Long::sum);
                    }
                    if (balance < 0) {
                        problems.add(stream + "@" + event.version() + ": balance " + balance);
                    }
                }
            }
        });
        table.forEach((stream, commits) -> {
            if (!stream.startsWith("order#")) {
                return;
            }
            List<Event> events = commits.stream().flatMap(commit -> commit.events().stream()).toList();
            long total = events.getFirst().payload().path("total").path("minorUnits").asLong();
            String ended = events.getLast().type();
            long net = netDebits.getOrDefault(stream.substring("order#".length()), 0L);
            long expected = ended.equals("OrderPaid") || ended.equals("OrderShipped") ? total : 0;
            if (net != expected && !ended.equals("OrderPlaced")) {
                problems.add(stream + ": ended " + ended + " with " + net + " taken from its account, not " + expected);
            }
        });
        return problems;
    }

    private static long balance(List<Event> events) {
        return events.stream().mapToLong(HistoryCheck::signedAmount).sum();
    }

    /** What an account event does to the balance. */
    private static long signedAmount(Event event) {
        long amount = event.payload().path("amount").path("minorUnits").asLong();
        return switch (event.type()) {
            case "MoneyDeposited", "AccountRefunded" -> amount;
            case "MoneyWithdrawn", "AccountDebited" -> -amount;
            default -> 0;
        };
    }

    /** The view at {@code path}, or null when it does not answer 200. */
    static @Nullable JsonNode get(URI api, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Per stream, the commits made with each idempotency key (for the race: one key, one commit). */
    static Map<String, List<Commit>> commitsByKey(Map<String, List<Commit>> table) {
        Map<String, List<Commit>> byKey = new LinkedHashMap<>();
        table.values().forEach(commits -> commits.forEach(commit -> {
            if (commit.idempotencyKey() != null) {
                byKey.computeIfAbsent(commit.idempotencyKey(), k -> new ArrayList<>()).add(commit);
            }
        }));
        return byKey;
    }

    private static @Nullable String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static JsonNode json(@Nullable String text) {
        try {
            return text == null ? JSON.missingNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
