package dev.factline.eventsourcing;

import java.util.Objects;

/** What a commit writes besides its events, in the same atomic write: all of it, or nothing. */
public sealed interface InlineWrite {

    /** {@code model}'s view of {@code stream} after the commit. */
    record View<V>(StreamView<?, V> model, StreamId stream, V view) implements InlineWrite {

        public View {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(view, "view");
        }

        public String rowKey() {
            return model.rowKey(stream);
        }

        public String json() {
            return model.toJson(view);
        }
    }

    /** {@code value} claimed for {@code owner}: refused if another stream holds it. */
    record Claim(Uniqueness<?> uniqueness, String value, StreamId owner) implements InlineWrite {

        public Claim {
            Objects.requireNonNull(uniqueness, "uniqueness");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(owner, "owner");
        }

        /** Where a store keeps the claim: {@code <stream type>/<name>/<value>}, the same for every stream of the type that wants the value. */
        public String key() {
            return owner.type() + "/" + uniqueness.name() + "/" + value;
        }
    }
}
