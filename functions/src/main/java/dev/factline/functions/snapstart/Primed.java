package dev.factline.functions.snapstart;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function primed before its SnapStart snapshot: Lambda calls {@link #beforeCheckpoint} on every
 * registered resource after init and before it takes the snapshot, so what {@link #prime()} loads
 * and warms is in every restored copy.
 *
 * <p>{@link #prime()} must leave nothing in the function the snapshot would share: no open
 * connection, no time read, no random value drawn, nothing written anywhere. {@link Priming} has
 * the offline pieces it runs on.
 */
public interface Primed extends Resource {

    /** Runs a representative request through an offline copy of this function. */
    void prime();

    /**
     * Primes; a priming that fails is reported and the snapshot taken unprimed. Priming only saves
     * time on the first invoke, so it must never stop Lambda from publishing a version
     * ({@code PrimingTest} is where a broken priming fails).
     */
    @Override
    default void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime();
        } catch (RuntimeException e) {
            System.err.println("SnapStart priming of " + getClass().getSimpleName() + " failed; the snapshot is taken unprimed: " + e);
        }
    }

    @Override
    default void afterRestore(Context<? extends Resource> context) {
        // Nothing to reopen: priming opened nothing.
    }

    /**
     * Has SnapStart prime {@code function} before its snapshot. CRaC holds resources weakly, which
     * is enough here: Lambda's runtime holds the handler. Outside a CRaC runtime this does nothing.
     */
    static void register(Primed function) {
        Core.getGlobalContext().register(function);
    }
}
