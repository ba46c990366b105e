package dev.factline.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The build's compatibility check: the committed catalogue against what the code reads and writes
 * today (each event type's current version, its generated schema, and the codec's promise that
 * every version below the current one has an upcaster step). Each problem names the event type,
 * the version and, where there is one, the field.
 *
 * <ul>
 *   <li><b>A published version never changes.</b> The committed schema of the current version
 *       must equal the generated one; a change to the record is a new version with an upcaster.
 *       A file edited by hand fails the same way.
 *   <li><b>Every stored shape stays readable</b> (BACKWARD, for the event store's readers: the
 *       current reader reads every version ever written, through the upcasters): each committed
 *       version must be at most the current one of a type a codec still registers, and every
 *       version from 1 to the current one must be committed.
 *   <li><b>Kinesis consumers read one version ahead</b> (FORWARD, what the published stream
 *       promises): a consumer that knows version n and ignores members it does not know reads a
 *       payload of version n + 1. The current version is checked against the one before it.
 * </ul>
 */
final class ContractCheck {

    private ContractCheck() {
    }

    /** Every problem found; empty when the catalogue and the code agree. */
    static List<String> problems(SchemaCatalogue committed, List<EventContract> current) {
        Map<String, EventContract> currentByType = current.stream().collect(Collectors.toMap(EventContract::type, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (EventContract code : current) {
            publishedUnchanged(committed, code, problems);
            forwardCompatible(committed, code, problems);
            for (int version = 1; version < code.version(); version++) {
                if (committed.find(code.type(), version).isEmpty()) {
                    problems.add(EventContract.title(code.type(), version) + " is read through the upcasters to v" + code.version()
                            + " but has no committed schema: a published version stays in the catalogue; restore "
                            + SchemaCatalogue.file(SchemaCatalogue.COMMITTED, code.type(), version) + " from git");
                }
            }
        }
        for (EventContract published : committed.contracts()) {
            EventContract code = currentByType.get(published.type());
            if (code == null) {
                problems.add(published.title() + " is published, so events of that shape are stored, but no codec registers "
                        + published.type() + " any more: those events would be unreadable");
            } else if (published.version() > code.version()) {
                problems.add(published.title() + " is published, but the codec reads " + published.type() + " only up to v"
                        + code.version() + ": stored v" + published.version() + " events would be refused as newer than it knows");
            }
        }
        return problems;
    }

    private static void publishedUnchanged(SchemaCatalogue committed, EventContract code, List<String> problems) {
        Optional<EventContract> published = committed.find(code.type(), code.version());
        if (published.isEmpty()) {
            problems.add(code.title() + " is what the code writes but is not in the catalogue: regenerate it (" + Regeneration.COMMAND + ")");
            return;
        }
        for (String difference : SchemaComparison.differences(published.get().schema(), code.schema())) {
            problems.add(code.title() + " is published and the code no longer matches its committed schema "
                    + SchemaCatalogue.file(SchemaCatalogue.COMMITTED, code.type(), code.version()) + ": " + difference
                    + ". A published version never changes: give the changed record v" + (code.version() + 1)
                    + " and an upcaster from v" + code.version() + " (or, if the file was edited by hand, restore it from git)");
        }
    }

    private static void forwardCompatible(SchemaCatalogue committed, EventContract code, List<String> problems) {
        if (code.version() == 1) {
            return;
        }
        committed.find(code.type(), code.version() - 1).ifPresent(previous -> {
            for (String problem : SchemaComparison.forwardBreaks(previous.schema(), code.schema())) {
                problems.add(code.title() + " is not FORWARD compatible with v" + previous.version() + ", which Kinesis consumers of v"
                        + previous.version() + " rely on: " + problem + ". A change they cannot read is a new event type");
            }
        });
    }
}
