package dev.factline.eventsourcing;

import java.util.Objects;

/** A commit refused because another stream holds a value it claims ({@link Uniqueness}): nothing of it was written. */
public final class UniqueValueTakenException extends RuntimeException {

    private final InlineWrite.Claim claim;

    public UniqueValueTakenException(InlineWrite.Claim claim) {
        super(claim.uniqueness().name() + " '" + claim.value() + "' is taken by another " + claim.owner().type()
                + ", so " + claim.owner() + " cannot have it; nothing was written");
        this.claim = Objects.requireNonNull(claim, "claim");
    }

    public InlineWrite.Claim claim() {
        return claim;
    }

    /** The stable code clients see: {@code <name>-taken}. */
    public String code() {
        return claim.uniqueness().takenCode();
    }
}
