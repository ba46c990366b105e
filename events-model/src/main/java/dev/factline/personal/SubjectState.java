package dev.factline.personal;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The data keys of a subject recorded as forgotten, sorted so the same state is the same snapshot. */
public record SubjectState(Set<String> forgottenKeys) {

    public SubjectState {
        forgottenKeys = Collections.unmodifiableSet(new TreeSet<>(forgottenKeys));
    }

    public SubjectState withForgotten(String keyId) {
        Set<String> next = new TreeSet<>(forgottenKeys);
        next.add(keyId);
        return new SubjectState(next);
    }
}
