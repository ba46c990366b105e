package dev.factline.benchmarks.contention;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.factline.benchmarks.snapshots.StreamWriters;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderState;
import dev.factline.order.Orders;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** Orders placed and then paid through the kernel's command handler (public for the cost section), and their records as the event table's stream delivers them. */
public record OrderRecords(EventTable eventTable, int orders, List<DynamodbStreamRecord> records) {

    static final Money TOTAL = Money.of(1_250, "EUR");

    public static OrderRecords write(LocalDynamo dynamo, int orders) {
        EventTable table = new EventTable("orders-" + UUID.randomUUID());
        dynamo.createTable(table);
        DynamoDbEventStore store = new DynamoDbEventStore(dynamo.client(), table, StoreLimits.defaults(), Clock.systemUTC());
        CommandHandler<OrderCommand, OrderEvent, OrderState> handler = new CommandHandler<>(Orders.TYPE, store, Clock.systemUTC(), IdGenerator.random());
        String run = UUID.randomUUID().toString();
        StreamWriters.all(IntStream.range(0, orders).<Callable<Void>>mapToObj(order -> () -> {
            String id = "o-" + run + "-" + order;
            handler.handle(CommandRequest.of(Orders.TYPE.streamId(id), new OrderCommand.PlaceOrder("c-" + id, "a-" + id,
                    Currency.getInstance("EUR"), List.of(new OrderLine("sku-1", 1, TOTAL))), metadata()));
            handler.handle(CommandRequest.of(Orders.TYPE.streamId(id), new OrderCommand.MarkOrderPaid(TOTAL), metadata()));
            return null;
        }).toList());
        try (StreamTap tap = StreamTap.atStart(dynamo, table.name())) {
            return new OrderRecords(table, orders, List.copyOf(tap.drainAll().getRecords()));
        }
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("cmd-" + UUID.randomUUID());
    }
}
