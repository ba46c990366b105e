package dev.factline.eventsourcing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns an aggregate's events into stored JSON and back.
 *
 * <p>A registry maps each stable type name to its record class and current schema version.
 * Encoding always writes the current version. Decoding reads the recorded schema version and
 * runs the type's upcasters from there up to the current one before binding the record, so
 * every read path (aggregate load, projectors, replays) sees one shape. Anything that does not
 * fit raises an {@link EventDecodingException} naming the stream, version and type.
 *
 * <p>Built once and shared: instances are immutable and thread-safe.
 *
 * @param <E> the aggregate's event type, usually a sealed interface; when it is sealed the
 *     builder refuses to build unless every permitted record is registered
 */
public final class EventCodec<E> {

    private final ObjectMapper mapper;
    private final Map<String, Registration<? extends E>> byName;
    private final Map<Class<?>, Registration<? extends E>> byClass;

    private EventCodec(ObjectMapper mapper, Map<String, Registration<? extends E>> byName) {
        this.mapper = mapper;
        this.byName = Map.copyOf(byName);
        Map<Class<?>, Registration<? extends E>> classes = new HashMap<>();
        byName.values().forEach(registration -> classes.put(registration.eventClass, registration));
        this.byClass = Map.copyOf(classes);
    }

    public static <E> Builder<E> builder(Class<E> eventType) {
        return new Builder<>(eventType);
    }

    public SerializedEvent encode(E event) {
        Registration<? extends E> registration = byClass.get(event.getClass());
        if (registration == null) {
            throw new IllegalArgumentException(event.getClass().getName() + " is not registered with this codec");
        }
        try {
            return new SerializedEvent(registration.typeName, registration.schemaVersion, registration.writer.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + registration.typeName + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The decided events as the store appends them: each encoded, with an id of its own, the one
     * instant they were decided at, and the command's metadata.
     */
    public List<NewEvent> toNewEvents(List<? extends E> decided, IdGenerator ids, Instant decidedAt, EventMetadata metadata) {
        List<NewEvent> encoded = new ArrayList<>(decided.size());
        for (E event : decided) {
            SerializedEvent serialized = encode(event);
            encoded.add(new NewEvent(ids.next(), serialized.type(), serialized.schemaVersion(), decidedAt, serialized.payload(), metadata));
        }
        return encoded;
    }

    /** The current shape of a recorded event, upcast from whatever schema version it was written at. */
    public E decode(RecordedEvent event) {
        Registration<? extends E> registration = byName.get(event.type());
        if (registration == null) {
            throw new EventDecodingException(event, "unknown event type; this codec knows " + new TreeMap<>(byName).keySet(), null);
        }
        if (event.schemaVersion() > registration.schemaVersion) {
            throw new EventDecodingException(event, "schema version " + event.schemaVersion()
                    + " is newer than the v" + registration.schemaVersion + " this reader knows", null);
        }
        E decoded;
        try {
            decoded = event.schemaVersion() == registration.schemaVersion
                    ? registration.reader.readValue(event.payload())
                    : registration.reader.readValue(upcastToCurrent(registration, event));
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new EventDecodingException(event, "payload does not fit " + registration.eventClass.getSimpleName() + ": " + reason, e);
        }
        if (decoded == null) {
            throw new EventDecodingException(event, "payload is JSON null", null);
        }
        return decoded;
    }

    private ObjectNode upcastToCurrent(Registration<?> registration, RecordedEvent event) throws IOException {
        if (!(mapper.readTree(event.payload()) instanceof ObjectNode payload)) {
            throw new EventDecodingException(event, "payload is not a JSON object", null);
        }
        ObjectNode current = payload;
        for (int version = event.schemaVersion(); version < registration.schemaVersion; version++) {
            current = upcast(registration, version, current, event);
        }
        return current;
    }

    /** The name {@code event} is stored under. */
    public String typeName(E event) {
        Registration<? extends E> registration = byClass.get(event.getClass());
        if (registration == null) {
            throw new IllegalArgumentException(event.getClass().getName() + " is not registered with this codec");
        }
        return registration.typeName;
    }

    /** The schema version this codec writes for {@code typeName}. */
    public int currentSchemaVersion(String typeName) {
        Registration<? extends E> registration = byName.get(typeName);
        if (registration == null) {
            throw new IllegalArgumentException("unknown event type '" + typeName + "'");
        }
        return registration.schemaVersion;
    }

    public Set<String> typeNames() {
        return byName.keySet();
    }

    /** The record {@code typeName}'s current schema version binds to: what the event contracts generate its schema from. */
    public Class<? extends E> eventClass(String typeName) {
        Registration<? extends E> registration = byName.get(typeName);
        if (registration == null) {
            throw new IllegalArgumentException("unknown event type '" + typeName + "'");
        }
        return registration.eventClass;
    }

    private static ObjectNode upcast(Registration<?> registration, int fromVersion, ObjectNode payload, RecordedEvent event) {
        Upcaster upcaster = registration.upcasters.get(fromVersion);
        ObjectNode next;
        try {
            next = upcaster.upcast(payload);
        } catch (RuntimeException e) {
            throw new EventDecodingException(event, "upcaster v" + fromVersion + " -> v" + (fromVersion + 1) + " failed: " + e.getMessage(), e);
        }
        if (next == null) {
            throw new EventDecodingException(event, "upcaster v" + fromVersion + " -> v" + (fromVersion + 1) + " returned null", null);
        }
        return next;
    }

    private record Registration<T>(
            String typeName, Class<T> eventClass, int schemaVersion, Map<Integer, Upcaster> upcasters, ObjectReader reader, ObjectWriter writer) {
    }

    /** Collects registrations and upcasters, then checks them as a whole in {@link #build()}. */
    public static final class Builder<E> {

        private final Class<E> eventType;
        private ObjectMapper mapper = Json.strictMapper();
        private final Map<String, Class<? extends E>> classes = new LinkedHashMap<>();
        private final Map<String, Integer> versions = new HashMap<>();
        private final Map<String, Map<Integer, Upcaster>> upcasters = new HashMap<>();

        private Builder(Class<E> eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType");
        }

        /** Uses another mapper than {@link Json#strictMapper()}, e.g. one with extra modules. */
        public Builder<E> mapper(ObjectMapper objectMapper) {
            this.mapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** Registers an event type that has only ever had one shape (schema version 1). */
        public Builder<E> register(String typeName, Class<? extends E> eventClass) {
            return register(typeName, eventClass, 1);
        }

        /**
         * Registers an event type whose current shape is {@code schemaVersion}; versions below it
         * need an {@link #upcaster} each.
         */
        public Builder<E> register(String typeName, Class<? extends E> eventClass, int schemaVersion) {
            if (typeName == null || !typeName.matches("[A-Z][A-Za-z0-9]*")) {
                throw new IllegalArgumentException("event type names are PascalCase identifiers, but got '" + typeName + "'");
            }
            Objects.requireNonNull(eventClass, "eventClass");
            Require.schemaVersion(schemaVersion);
            if (classes.containsKey(typeName)) {
                throw new IllegalArgumentException("event type '" + typeName + "' is registered twice");
            }
            if (classes.containsValue(eventClass)) {
                throw new IllegalArgumentException(eventClass.getName() + " is registered under two type names");
            }
            classes.put(typeName, eventClass);
            versions.put(typeName, schemaVersion);
            return this;
        }

        /** Adds the step that turns {@code typeName}'s payload at {@code fromVersion} into {@code fromVersion + 1}. */
        public Builder<E> upcaster(String typeName, int fromVersion, Upcaster upcaster) {
            Objects.requireNonNull(upcaster, "upcaster");
            if (upcasters.computeIfAbsent(typeName, name -> new HashMap<>()).putIfAbsent(fromVersion, upcaster) != null) {
                throw new IllegalArgumentException(typeName + " has two upcasters from v" + fromVersion);
            }
            return this;
        }

        public EventCodec<E> build() {
            List<String> problems = new ArrayList<>();
            upcasters.forEach((typeName, steps) -> {
                Integer current = versions.get(typeName);
                if (current == null) {
                    problems.add("upcasters given for unregistered type '" + typeName + "'");
                    return;
                }
                steps.keySet().stream()
                        .filter(from -> from < 1 || from >= current)
                        .forEach(from -> problems.add(typeName + ": upcaster from v" + from + " lies outside v1..v" + (current - 1)));
            });
            versions.forEach((typeName, current) -> {
                Map<Integer, Upcaster> steps = upcasters.getOrDefault(typeName, Map.of());
                for (int from = 1; from < current; from++) {
                    if (!steps.containsKey(from)) {
                        problems.add(typeName + " is at v" + current + " but has no upcaster from v" + from);
                    }
                }
            });
            for (Class<?> leaf : concreteSubtypes(eventType)) {
                if (!classes.containsValue(leaf)) {
                    problems.add(leaf.getName() + " is a " + eventType.getSimpleName() + " but has no type name");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("event codec for " + eventType.getSimpleName() + " is incomplete: " + String.join("; ", problems));
            }
            Map<String, Registration<? extends E>> registrations = new HashMap<>();
            classes.forEach((typeName, eventClass) -> registrations.put(typeName, registration(typeName, eventClass)));
            return new EventCodec<>(mapper, registrations);
        }

        private <T extends E> Registration<T> registration(String typeName, Class<T> eventClass) {
            return new Registration<>(
                    typeName,
                    eventClass,
                    versions.get(typeName),
                    Map.copyOf(upcasters.getOrDefault(typeName, Map.of())),
                    mapper.readerFor(eventClass),
                    mapper.writerFor(eventClass));
        }

        /** The records a sealed hierarchy permits, recursively; a non-sealed type has none to check. */
        private static List<Class<?>> concreteSubtypes(Class<?> root) {
            List<Class<?>> leaves = new ArrayList<>();
            Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
            while (!pending.isEmpty()) {
                Class<?> type = pending.pop();
                if (type.isSealed()) {
                    pending.addAll(List.of(type.getPermittedSubclasses()));
                } else if (type != root) {
                    leaves.add(type);
                }
            }
            return leaves;
        }
    }
}
