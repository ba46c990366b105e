package dev.factline.functions.rebuild;

import dev.factline.eventsourcing.ReadModels;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.http.ProblemException;
import java.util.Objects;

/**
 * One step of a rebuild as the state machine asks for it ({@code RebuildFunction}'s input): open
 * the run, work a segment on, or finish the run. Every step names the read model, its version, the
 * number of segments and the owner (the execution's name, which holds the run's lease).
 */
public sealed interface RebuildStep permits RebuildStep.Open, RebuildStep.Segment, RebuildStep.Finish {

    /** An inline Map's items travel in the state's input, at most 256 KiB: a thousand segments fit with room to spare. */
    int MAX_SEGMENTS = 1_000;

    /** The members of a step's input: the state machine's payloads are built from these names. */
    String STEP = "step";
    String READ_MODEL = "readModel";
    String VERSION = "version";
    String SEGMENTS = "segments";
    String OWNER = "owner";
    String SEGMENT = "segment";
    String PAGE_SIZE = "pageSize";
    /** The steps, as {@link #STEP} names them. */
    String OPEN = "open";
    String WORK_SEGMENT = "segment";
    String FINISH = "finish";

    RebuildTarget target();

    int segments();

    String owner();

    /** Starts the run, or resumes it under the same owner or once the previous owner's lease lapsed. */
    record Open(RebuildTarget target, int segments, String owner) implements RebuildStep {
    }

    /** Works {@code segment} on from its checkpoint, pages of at most {@code pageSize} items. */
    record Segment(RebuildTarget target, int segments, String owner, int segment, int pageSize) implements RebuildStep {
    }

    /** Marks the run complete, once every segment is done. */
    record Finish(RebuildTarget target, int segments, String owner) implements RebuildStep {
    }

    /**
     * The step {@code json} asks for, among the {@code hosted} read models.
     *
     * @throws RebuildInputException naming the member at fault: malformed JSON, an unknown step or member, a read model or
     *         version not hosted, a segment out of range
     */
    public static RebuildStep parse(byte[] json, ReadModels hosted) {
        try {
            JsonObjectReader input = JsonObjectReader.parse(json);
            String step = input.requiredString(STEP);
            switch (step) {
                case OPEN, FINISH -> input.allowOnly(STEP, READ_MODEL, VERSION, SEGMENTS, OWNER);
                case WORK_SEGMENT -> input.allowOnly(STEP, READ_MODEL, VERSION, SEGMENTS, OWNER, SEGMENT, PAGE_SIZE);
                default -> throw input.refuse(STEP, "must be " + OPEN + ", " + WORK_SEGMENT + " or " + FINISH + ", but was \"" + step + "\"");
            }
            String name = input.requiredString(READ_MODEL);
            int version = input.requiredInt(VERSION, 1, Integer.MAX_VALUE);
            RebuildTarget target = input.check(READ_MODEL, () -> RebuildTarget.of(hosted, name, version));
            int segments = input.requiredInt(SEGMENTS, 1, MAX_SEGMENTS);
            String owner = input.requiredString(OWNER);
            if (owner.isBlank()) {
                throw input.refuse(OWNER, "must name the run's owner (the execution), but was blank");
            }
            return switch (step) {
                case OPEN -> new Open(target, segments, owner);
                case FINISH -> new Finish(target, segments, owner);
                default -> new Segment(target, segments, owner, input.requiredInt(SEGMENT, 0, segments - 1),
                        input.requiredInt(PAGE_SIZE, 1, 10_000));
            };
        } catch (ProblemException refused) {
            throw new RebuildInputException("a rebuild step's input: " + refused.getMessage());
        }
    }

    /** The input names no step this function can take: trying it again cannot help, and nothing was written. */
    final class RebuildInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RebuildInputException(String message) {
            super(Objects.requireNonNull(message, "message"));
        }
    }
}
