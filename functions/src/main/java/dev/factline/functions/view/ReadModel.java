package dev.factline.functions.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.Json;
import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.StreamId;
import dev.factline.order.OrderView;
import dev.factline.order.Orders;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A view that follows one aggregate type's streams: the codec that reads their events, the fold
 * that turns them into the view, and the view's JSON, the same in the read table, in Redis and
 * in query answers.
 */
public record ReadModel<E, V>(String streamType, EventCodec<E> codec, Projection<E, V> projection, Class<V> viewClass) {

    public static final ReadModel<?, AccountView> ACCOUNTS =
            new ReadModel<>(Accounts.STREAM_TYPE, Accounts.codec(), AccountView.PROJECTION, AccountView.class);
    public static final ReadModel<?, OrderView> ORDERS =
            new ReadModel<>(Orders.STREAM_TYPE, Orders.EVENTS, OrderView.PROJECTION, OrderView.class);
    public static final List<ReadModel<?, ?>> ALL = List.of(ACCOUNTS, ORDERS);

    private static final ObjectMapper JSON = Json.strictMapper();

    public ReadModel {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(viewClass, "viewClass");
    }

    /** The read model that follows {@code streamId}'s type, if any does. */
    public static Optional<ReadModel<?, ?>> following(StreamId streamId) {
        return ALL.stream().<ReadModel<?, ?>>map(model -> model).filter(model -> model.streamType.equals(streamId.type())).findFirst();
    }

    public String toJson(V view) {
        try {
            return JSON.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + viewClass.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalStateException if the stored JSON is no such view */
    public V fromJson(String json) {
        try {
            return JSON.readValue(json, viewClass);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + viewClass.getSimpleName() + " does not read back: " + e.getOriginalMessage(), e);
        }
    }

    public long versionOf(V view) {
        return projection.versionOf(view);
    }
}
