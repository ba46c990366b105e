package dev.factline.eventsourcing;

import java.util.List;

/**
 * What an aggregate type's commits write themselves, beside their events and in the same atomic
 * write: the rows of its inline read models ({@link StreamView#writtenInline()}) and the claims of
 * its unique values ({@link Uniqueness}). A read after a command's answer sees both, and a value
 * two streams race for goes to exactly one of them.
 */
public record InlineModels<E>(List<StreamView<E, ?>> views, List<Uniqueness<E>> uniques) {

    public InlineModels {
        views = List.copyOf(views);
        uniques = List.copyOf(uniques);
        for (StreamView<E, ?> view : views) {
            if (!view.inline()) {
                throw new IllegalArgumentException(view.space() + " is not declared inline; the projector keeps it");
            }
        }
    }

    public static <E> InlineModels<E> none() {
        return new InlineModels<>(List.of(), List.of());
    }

    public boolean isEmpty() {
        return views.isEmpty() && uniques.isEmpty();
    }

    /** The claims {@code decided} makes for {@code stream}, each value once. */
    List<InlineWrite.Claim> claims(StreamId stream, List<E> decided) {
        return uniques.stream()
                .flatMap(uniqueness -> decided.stream()
                        .flatMap(event -> uniqueness.claimedBy().apply(event).stream())
                        .distinct()
                        .map(value -> new InlineWrite.Claim(uniqueness, value, stream)))
                .toList();
    }
}
