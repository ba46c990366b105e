package dev.factline.eventsourcing;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The write path for one aggregate type: load, decide, append, with the rules that make it safe
 * to call from many places at once.
 *
 * <ul>
 *   <li>A version conflict re-loads and re-decides, up to {@code maxAttempts} times, unless the
 *       client pinned a version: then the conflict is the answer.
 *   <li>A repeated idempotency key answers with the original commit and writes nothing. The
 *       store only looks the key up when something refuses the repeat (a rule, a conflict, the
 *       key's own condition), so a first request costs no extra read.
 *   <li>A snapshot is saved after a commit that crosses the policy's interval. Failing to save
 *       one is logged, never failed: the commit stands and the next load replays a bit more.
 * </ul>
 */
public final class CommandHandler<C, E, S> {

    private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());

    /** Attempts per command when writers race on a stream; the default of the write path. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final AggregateType<C, E, S> type;
    private final AggregateRepository<C, E, S> repository;
    private final EventStore store;
    private final InstantSource clock;
    private final IdGenerator ids;
    private final SnapshotPolicy snapshots;
    private final int maxAttempts;

    public CommandHandler(
            AggregateType<C, E, S> type, EventStore store, InstantSource clock, IdGenerator ids, SnapshotPolicy snapshots, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        this.type = type;
        this.repository = new AggregateRepository<>(type, store);
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.snapshots = snapshots;
        this.maxAttempts = maxAttempts;
    }

    public CommandHandler(AggregateType<C, E, S> type, EventStore store, InstantSource clock, IdGenerator ids) {
        this(type, store, clock, ids, SnapshotPolicy.every(SnapshotPolicy.DEFAULT_EVERY), DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @throws DomainRuleViolationException if a business rule refuses the command
     * @throws VersionConflictException if the pinned version moved, or writers kept racing
     * @throws IdempotencyKeyReusedException if the key was used by a different request
     */
    public CommandResult handle(CommandRequest<? extends C> request) {
        type.requireOwnStream(request.streamId());
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(request);
            } catch (VersionConflictException conflict) {
                if (request.pinnedVersion() != null || attempt == maxAttempts) {
                    return replayIfCommitted(request).orElseThrow(() -> conflict);
                }
            } catch (DomainRuleViolationException refusal) {
                return replayIfCommitted(request).orElseThrow(() -> refusal);
            }
        }
    }

    private CommandResult attempt(CommandRequest<? extends C> request) {
        StreamId streamId = request.streamId();
        LoadedAggregate<S> current = repository.load(streamId);
        Long pinned = request.pinnedVersion();
        if (pinned != null && pinned != current.version()) {
            throw new VersionConflictException(streamId, pinned, current.version());
        }
        Instant now = clock.instant();
        List<E> decided = type.decider().decide(request.command(), current.state(), new DecisionContext(streamId, now));
        if (decided.isEmpty() && request.idempotency() == null) {
            return new CommandResult(new Commit(streamId, current.version(), 0), List.of(), false);
        }
        AppendResult appended = store.append(streamId, current.version(), encode(decided, now, request.metadata()), request.idempotency());
        return switch (appended) {
            case AppendResult.Appended(Commit commit, List<RecordedEvent> events) -> {
                snapshotIfDue(commit, current, decided);
                yield new CommandResult(commit, events, false);
            }
            case AppendResult.AlreadyCommitted(Commit original) -> replayed(original);
        };
    }

    private List<NewEvent> encode(List<E> decided, Instant now, EventMetadata metadata) {
        List<NewEvent> encoded = new ArrayList<>(decided.size());
        for (E event : decided) {
            SerializedEvent serialized = type.events().encode(event);
            encoded.add(new NewEvent(ids.next(), serialized.type(), serialized.schemaVersion(), now, serialized.payload(), metadata));
        }
        return encoded;
    }

    private Optional<CommandResult> replayIfCommitted(CommandRequest<? extends C> request) {
        Idempotency idempotency = request.idempotency();
        if (idempotency == null) {
            return Optional.empty();
        }
        return store.findIdempotencyRecord(idempotency.key()).map(record -> {
            if (!record.fingerprint().equals(idempotency.fingerprint())) {
                throw new IdempotencyKeyReusedException(idempotency.key(), record.commit());
            }
            return replayed(record.commit());
        });
    }

    private CommandResult replayed(Commit original) {
        List<RecordedEvent> events = original.eventCount() == 0
                ? List.of()
                : store.load(original.streamId(), original.previousVersion() + 1, original.streamVersion());
        return new CommandResult(original, events, true);
    }

    private void snapshotIfDue(Commit commit, LoadedAggregate<S> before, List<E> decided) {
        if (!snapshots.isDue(commit)) {
            return;
        }
        try {
            S after = type.decider().evolveAll(before.state(), decided);
            store.saveSnapshot(new Snapshot(commit.streamId(), commit.streamVersion(), type.state().schemaVersion(), type.state().encode(after)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not snapshot " + commit.streamId() + " at version " + commit.streamVersion() + "; loads replay further until the next one", e);
        }
    }

    /** The repository this handler loads with, for reads that need the same view of the stream. */
    public AggregateRepository<C, E, S> repository() {
        return repository;
    }
}
