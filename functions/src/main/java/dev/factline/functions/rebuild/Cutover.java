package dev.factline.functions.rebuild;

import dev.factline.eventsourcing.ReadModel;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.view.ReadModelPointers;
import dev.factline.functions.view.ReadModelPointers.Pointer;
import dev.factline.functions.view.ReadTable;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Moving which version of a read model queries serve. A cutover to a version needs its rebuild
 * complete and, when another version is served, the new one caught up with it: on no stream
 * behind by more than {@code maxLagEvents} events (0 by default: the live projector writes both
 * in the same batches once the rebuild is done, so they agree). A rollback points back at the
 * version served before, which the live projector kept writing.
 */
public final class Cutover {

    /** A cutover or rollback that may not happen as asked: nothing was written. */
    public static final class CutoverRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CutoverRefusedException(String message) {
            super(message);
        }
    }

    /** What a cutover did: the pointer as moved, and the comparison it was allowed by (absent when nothing was served before). */
    public record Outcome(Pointer pointer, Optional<ReadModelDiff.Report> comparison) {
    }

    private final ReadModels hosted;
    private final RebuildLedger ledger;
    private final ReadModelPointers pointers;
    private final ReadModelDiff diff;

    public Cutover(ReadModels hosted, DynamoDbClient dynamo, ReadTable readTable) {
        this.hosted = Objects.requireNonNull(hosted, "hosted");
        this.ledger = new RebuildLedger(dynamo, readTable);
        this.pointers = new ReadModelPointers(dynamo, readTable);
        this.diff = new ReadModelDiff(dynamo, readTable);
    }

    /** The version of {@code name} served now: its pointer's, or the lowest hosted. */
    public int served(String name) {
        return pointers.read(name).map(Pointer::active).orElseGet(() -> lowestHosted(name).version());
    }

    /**
     * Points {@code name}'s queries at {@code version}.
     *
     * @throws IllegalArgumentException when no such read model is hosted
     * @throws CutoverRefusedException when its rebuild is not complete, or it is behind the version served
     * @throws ReadModelPointers.PointerMovedException when another cutover came first
     */
    public Outcome cutover(String name, int version, long maxLagEvents, Instant now) {
        RebuildTarget target = RebuildTarget.of(hosted, name, version);
        boolean rebuilt = ledger.run(target.space()).map(RebuildLedger.Run::complete).orElse(false);
        if (!rebuilt) {
            throw new CutoverRefusedException(target.space() + " has no complete rebuild: run `factline-replay rebuild " + name + " " + version
                    + "` first, so that queries never see it half built");
        }
        Optional<Pointer> pointer = pointers.read(name);
        int current = pointer.map(Pointer::active).orElseGet(() -> lowestHosted(name).version());
        if (current == version) {
            throw new CutoverRefusedException(name + " is served at version " + version + " already");
        }
        Optional<ReadModelDiff.Report> comparison = Optional.empty();
        Optional<ReadModel> served = hosted.find(name, current);
        if (current != version && served.isPresent() && served.get() instanceof StreamView<?, ?> servedView) {
            ReadModelDiff.Report report = diff.compare(servedView, target.view(), hosted);
            if (report.mostBehind() > maxLagEvents) {
                throw new CutoverRefusedException(target.space() + " is behind " + servedView.space() + " on " + report.behind()
                        + " streams (" + report.behindEvents() + " events, " + report.mostBehind() + " on one), more than the " + maxLagEvents
                        + " events a stream may be: let the projector catch up, or rebuild again");
            }
            comparison = Optional.of(report);
        }
        return new Outcome(pointers.cutover(name, version, pointer.map(Pointer::active), current, now), comparison);
    }

    /**
     * Points {@code name}'s queries back at the version served before its last cutover.
     *
     * @throws CutoverRefusedException when that version is not hosted by this build any more
     */
    public Pointer rollback(String name, Instant now) {
        Pointer current = pointers.read(name).orElseThrow(() -> new CutoverRefusedException(name + " was never cut over: nothing to roll back to"));
        if (current.previous() == null) {
            throw new CutoverRefusedException(name + " is served at version " + current.active() + ", its first: nothing to roll back to");
        }
        if (hosted.find(name, current.previous()).isEmpty()) {
            throw new CutoverRefusedException(name + "@" + current.previous() + " is not hosted by this build any more: queries could not serve it");
        }
        return pointers.rollback(name, now);
    }

    private StreamView<?, ?> lowestHosted(String name) {
        return hosted.all().stream().filter(model -> model instanceof StreamView<?, ?> && model.name().equals(name))
                .map(model -> (StreamView<?, ?>) model).min(Comparator.comparingInt(StreamView::version))
                .orElseThrow(() -> new IllegalArgumentException("no read model " + name + " is hosted"));
    }
}
