package dev.factline.eventsourcing;

import java.util.Objects;
import java.util.function.Function;

/**
 * An index of a {@link StreamView}'s views by an owner, in an order of the domain's choosing: a
 * customer's orders, oldest first. The read table keeps one index for every listing; each view
 * row names its listing and owner, and its position in the owner's list, which sorts as text.
 *
 * @param owner the id of the list a view belongs in (a customer's id)
 * @param position where the view sorts in that list, compared as text
 */
public record Listing<V>(String name, Function<? super V, String> owner, Function<? super V, String> position) {

    public Listing {
        ReadModel.requireName(name);
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(position, "position");
    }
}
