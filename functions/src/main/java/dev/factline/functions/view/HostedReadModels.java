package dev.factline.functions.view;

import dev.factline.eventsourcing.ReadModels;
import dev.factline.functions.domain.HostedDomains;
import java.util.function.Supplier;

/**
 * The read models of the hosted domains ({@link HostedDomains}). As a {@code Supplier}, it is what
 * {@code factline-replay --read-models} names by default.
 */
public final class HostedReadModels implements Supplier<ReadModels> {

    public static final ReadModels STANDARD = HostedDomains.STANDARD.readModels();

    @Override
    public ReadModels get() {
        return STANDARD;
    }
}
