package dev.factline.functions.command;

import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.functions.domain.CommandHandlers;
import dev.factline.eventsourcing.Idempotency;
import org.jspecify.annotations.Nullable;

/** A request read in full: the command, the metadata its events will carry, its pin and its key. */
record Submission(BoundCommand<?> command, EventMetadata metadata, @Nullable Long pinnedVersion, @Nullable Idempotency idempotency) {

    CommandResult handle(CommandHandlers handlers) {
        return command.handle(handlers, metadata, pinnedVersion, idempotency);
    }

    boolean pinned() {
        return pinnedVersion != null;
    }
}
