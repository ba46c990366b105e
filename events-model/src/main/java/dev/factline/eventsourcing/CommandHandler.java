package dev.factline.eventsourcing;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The write path for one aggregate type: load, decide, append, with the rules that make it safe
 * to call from many places at once.
 *
 * <ul>
 *   <li>A version conflict re-loads and re-decides, up to the policy's attempts with a jittered
 *       pause between them, unless the client pinned a version: then the conflict is the answer.
 *       A contended write ({@link WriteContendedException}) is tried again the same way, pinned or not.
 *   <li>A warm handler remembers the state it last wrote per stream and appends at that version
 *       without reading first. Only a successful append is trusted from that memory: a conflict,
 *       a refusal or a moved pin computed from it is decided again on a fresh load.
 *   <li>A repeated idempotency key answers with the original commit and writes nothing. The
 *       store only looks the key up when something refuses the repeat (a rule, a conflict, the
 *       key's own condition), so a first request costs no extra read.
 *   <li>Inline read models and unique values ({@link InlineModels}) are written in the commit
 *       itself; a value another stream holds refuses the whole commit ({@link UniqueValueTakenException}).
 *   <li>A snapshot is saved after a commit that crosses the policy's interval. Failing to save
 *       one is logged, never failed: the commit stands and the next load replays a bit more.
 * </ul>
 */
public final class CommandHandler<C, E, S> {

    private final AggregateType<C, E, S> type;
    private final AggregateRepository<C, E, S> repository;
    private final EventStore store;
    private final InstantSource clock;
    private final IdGenerator ids;
    private final WritePolicy policy;
    private final RecentStates<LoadedAggregate<S>> recent;
    private final MemoryTrust memoryTrust = new MemoryTrust();
    private final InlineWriter<E> inline;
    private final Warnings warnings;

    /**
     * @param inline what the type's commits write besides their events (nothing for {@link InlineModels#none()})
     * @param warnings told of a snapshot not saved or ignored; the command stands either way
     */
    public CommandHandler(AggregateType<C, E, S> type, InlineModels<E> inline, EventStore store, InstantSource clock, IdGenerator ids,
            WritePolicy policy, Warnings warnings) {
        this.type = Objects.requireNonNull(type, "type");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.repository = new AggregateRepository<>(type, store, warnings);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.recent = new RecentStates<>(policy.recentStreams(), LoadedAggregate::version);
        this.inline = new InlineWriter<>(inline, store, policy.recentStreams());
    }

    /** {@code warnings} on standard error. */
    public CommandHandler(AggregateType<C, E, S> type, InlineModels<E> inline, EventStore store, InstantSource clock, IdGenerator ids,
            WritePolicy policy) {
        this(type, inline, store, clock, ids, policy, Warnings.standardError());
    }

    public CommandHandler(AggregateType<C, E, S> type, EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy) {
        this(type, InlineModels.none(), store, clock, ids, policy);
    }

    public CommandHandler(AggregateType<C, E, S> type, EventStore store, InstantSource clock, IdGenerator ids) {
        this(type, store, clock, ids, WritePolicy.defaults());
    }

    /**
     * @throws DomainRuleViolationException if a business rule refuses the command
     * @throws VersionConflictException if the pinned version moved, or writers kept racing
     * @throws IdempotencyKeyReusedException if the key was used by a different request
     */
    public CommandResult handle(CommandRequest<? extends C> request) {
        StreamId streamId = request.streamId();
        type.requireOwnStream(streamId);
        int failedAttempts = 0;
        // Contention has an attempt budget of its own: another write held an item for the moment
        // its transaction was in flight (DynamoDB cancels rather than waits), and the stream did not move.
        int contendedAttempts = 0;
        int conflicts = 0;
        // Memory is consulted on the first pass only, so threads sharing this handler cannot keep
        // each other retrying past the bounded attempts.
        LoadedAggregate<S> remembered = recent.get(streamId);
        // What memory held is judged by the first load after it, made instead when memory is not trusted.
        Long rememberedVersion = remembered == null ? null : remembered.version();
        if (remembered != null && !memoryTrust.trusted()) {
            remembered = null;
        }
        while (true) {
            boolean fromMemory = remembered != null;
            try {
                LoadedAggregate<S> current;
                if (fromMemory) {
                    current = remembered;
                } else {
                    current = repository.load(streamId);
                    if (rememberedVersion != null) {
                        memoryTrust.judged(current.version() == rememberedVersion);
                        rememberedVersion = null;
                    }
                }
                remembered = null;
                CommandResult result = decideAndAppend(request, current);
                if (fromMemory && result.commit().eventCount() == 0 && request.idempotency() == null) {
                    // Nothing was written, so nothing checked the remembered version it reports.
                    forget(streamId);
                    continue;
                }
                if (fromMemory && !result.replayed()) {
                    memoryTrust.judged(true);
                }
                return result.afterConflicts(conflicts);
            } catch (VersionConflictException | DomainRuleViolationException refusal) {
                forget(streamId);
                if (refusal instanceof VersionConflictException) {
                    conflicts++;
                }
                if (fromMemory) {
                    continue;
                }
                if (refusal instanceof VersionConflictException && request.pinnedVersion() == null && ++failedAttempts < policy.maxAttempts()) {
                    policy.backoff().pause(failedAttempts);
                    continue;
                }
                int conflictsMet = conflicts;
                return replayIfCommitted(request).map(replay -> replay.afterConflicts(conflictsMet)).orElseThrow(() -> refusal);
            } catch (WriteContendedException contended) {
                // The stream did not move, so a pinned version still holds: decide again, as for a conflict.
                forget(streamId);
                if (++contendedAttempts >= policy.maxAttempts()) {
                    return replayIfCommittedDespite(request, contended);
                }
                policy.backoff().pause(contendedAttempts);
            } catch (IdempotencyKeyReusedException reused) {
                throw reused;
            } catch (RuntimeException failure) {
                // A repeat already committed is answered even when this attempt failed otherwise
                // (an event this build cannot decode during a rolling deploy, say).
                return replayIfCommittedDespite(request, failure);
            }
        }
    }

    /** The repository this handler loads with, for reads that need the same view of the stream. */
    public AggregateRepository<C, E, S> repository() {
        return repository;
    }

    private CommandResult decideAndAppend(CommandRequest<? extends C> request, LoadedAggregate<S> current) {
        StreamId streamId = request.streamId();
        Long pinned = request.pinnedVersion();
        if (pinned != null && pinned != current.version()) {
            throw new VersionConflictException(streamId, pinned, current.version());
        }
        Instant now = clock.instant();
        List<E> decided = type.decider().decide(request.command(), current.state(), new DecisionContext(streamId, now, ids));
        if (decided.isEmpty() && request.idempotency() == null) {
            return new CommandResult(new Commit(streamId, current.version(), 0), List.of(), false);
        }
        List<InlineWrite> inlineWrites = inline.writes(streamId, current.version(), decided, now);
        AppendResult appended = store.append(streamId, current.version(), type.events().toNewEvents(decided, ids, now, request.metadata()),
                request.idempotency(), inlineWrites);
        return switch (appended) {
            case AppendResult.Appended(Commit commit, List<RecordedEvent> events) -> {
                S after = type.decider().evolveAll(current.state(), decided);
                recent.remember(streamId, new LoadedAggregate<>(streamId, after, commit.streamVersion(), current.snapshotVersion(), 0));
                inline.committed(streamId, commit.streamVersion(), inlineWrites);
                snapshotIfDue(commit, after);
                yield new CommandResult(commit, events, false);
            }
            case AppendResult.AlreadyCommitted(Commit original, List<RecordedEvent> events) -> {
                forget(streamId);
                yield new CommandResult(original, events, true);
            }
        };
    }

    private void forget(StreamId streamId) {
        recent.forget(streamId);
        inline.forget(streamId);
    }

    private Optional<CommandResult> replayIfCommitted(CommandRequest<? extends C> request) {
        Idempotency idempotency = request.idempotency();
        if (idempotency == null) {
            return Optional.empty();
        }
        return store.findIdempotencyRecord(idempotency.key()).map(record -> {
            if (!record.isRepeatOf(idempotency, request.streamId())) {
                throw new IdempotencyKeyReusedException(idempotency.key(), record.commit());
            }
            return replayed(record.commit());
        });
    }

    private CommandResult replayIfCommittedDespite(CommandRequest<? extends C> request, RuntimeException failure) {
        if (request.idempotency() == null) {
            throw failure;
        }
        Optional<CommandResult> replay;
        try {
            replay = replayIfCommitted(request);
        } catch (RuntimeException lookupFailure) {
            failure.addSuppressed(lookupFailure);
            throw failure;
        }
        return replay.orElseThrow(() -> failure);
    }

    private CommandResult replayed(Commit original) {
        List<RecordedEvent> events = original.eventCount() == 0
                ? List.of()
                : store.load(original.streamId(), original.previousVersion() + 1, original.streamVersion());
        return new CommandResult(original, events, true);
    }

    private void snapshotIfDue(Commit commit, S after) {
        if (!policy.snapshots().isDue(commit)) {
            return;
        }
        try {
            store.saveSnapshot(new Snapshot(commit.streamId(), commit.streamVersion(), type.state().schemaVersion(), type.state().encode(after)));
        } catch (RuntimeException e) {
            warnings.warn("could not snapshot " + commit.streamId() + " at version " + commit.streamVersion()
                    + "; loads replay further until the next one", e);
        }
    }
}
