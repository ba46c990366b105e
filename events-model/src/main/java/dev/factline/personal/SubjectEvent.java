package dev.factline.personal;

import java.util.Objects;

/** What happened to a subject's personal data: the events of a {@code subject#<id>} stream. */
public sealed interface SubjectEvent {

    /** The subject's data key {@code keyId} was shredded: every field sealed with it now reads as erased. */
    record PersonalDataForgotten(String keyId) implements SubjectEvent {

        public PersonalDataForgotten {
            Objects.requireNonNull(keyId, "keyId");
        }
    }
}
