package dev.factline.functions.command;

import dev.factline.eventsourcing.AppendTooLargeException;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.eventsourcing.IdempotencyKeyReusedException;
import dev.factline.eventsourcing.UniqueValueTakenException;
import dev.factline.eventsourcing.VersionConflictException;
import dev.factline.eventsourcing.WriteContendedException;
import dev.factline.functions.http.Problem;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.StoredDataProblems;
import dev.factline.functions.http.Texts;

/** What each way a command can fail means to a client, as a problem. */
final class CommandProblems {

    private CommandProblems() {
    }

    /**
     * @param pinned whether the request named a version in {@code If-Match}, which turns a
     *     version conflict from a 409 (writers kept racing) into a 412 (the pin did not hold)
     */
    static Problem of(RuntimeException failure, boolean pinned) {
        return StoredDataProblems.of(failure).orElseGet(() -> switch (failure) {
            case ProblemException refused -> refused.problem();
            // A rule that says the stream does not exist is a 404 to a client; its code still comes along.
            case DomainRuleViolationException rule when rule.meansStreamMissing() ->
                    Problem.of(ProblemType.NOT_FOUND, rule.getMessage()).withCode(rule.code());
            case DomainRuleViolationException rule -> Problem.ruleViolated(rule.code(), rule.getMessage());
            case VersionConflictException conflict when pinned -> Problem.of(ProblemType.PRECONDITION_FAILED,
                    "If-Match named version " + conflict.expectedVersion() + ", but " + conflict.streamId() + " " + headOf(conflict)
                            + "; nothing was written");
            case VersionConflictException conflict -> Problem.of(ProblemType.VERSION_CONFLICT,
                    conflict.streamId() + " kept changing while this command was being decided, so it was not applied; "
                            + "nothing was written, and sending it again is safe");
            case UniqueValueTakenException taken -> Problem.of(ProblemType.UNIQUE_VALUE_TAKEN, taken.getMessage()).withCode(taken.code());
            case WriteContendedException contended -> Problem.of(ProblemType.VERSION_CONFLICT,
                    "other writes kept holding what this command writes, so it was not applied; nothing was written, and sending it "
                            + "again is safe");
            case IdempotencyKeyReusedException reused -> Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    IdempotencyKeys.HEADER + " " + Texts.quoted(reused.key().value())
                            + " was already used for a different request; a new request needs a new key");
            case AppendTooLargeException tooLarge -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "the events of this command would take " + tooLarge.size() + " bytes, over the limit of " + tooLarge.limit()
                            + " bytes; events are small facts, large content belongs elsewhere");
            case EventStoreUnavailableException unavailable -> Problem.of(ProblemType.STORE_UNAVAILABLE,
                    "the event store could not be reached; the command may or may not have been applied: "
                            + "send it again with the same Idempotency-Key (or, without one, check the stream first)");
            default -> Problem.of(ProblemType.INTERNAL_ERROR,
                    "the command could not be handled because of an error on our side; it may or may not have been applied. "
                            + "Quote the correlationId when asking about it");
        });
    }

    /** The head the conflict names, read from the store if it was not known; a failed read leaves it out rather than fail the answer. */
    private static String headOf(VersionConflictException conflict) {
        try {
            return "is at version " + conflict.actualVersion();
        } catch (RuntimeException unreadable) {
            return "has moved on";
        }
    }
}
