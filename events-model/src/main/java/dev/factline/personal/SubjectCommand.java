package dev.factline.personal;

import java.util.Objects;

/** What can be asked of a subject's stream. */
public sealed interface SubjectCommand {

    /** Records that the subject's data key {@code keyId}, shredded by the key store, is forgotten. */
    record ForgetPersonalData(String keyId) implements SubjectCommand {

        public ForgetPersonalData {
            Objects.requireNonNull(keyId, "keyId");
        }
    }
}
