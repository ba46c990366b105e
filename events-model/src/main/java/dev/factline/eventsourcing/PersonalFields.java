package dev.factline.eventsourcing;

import java.util.List;
import java.util.Objects;

/**
 * Which fields of one event type hold personal data, and whose: the declaration a domain author
 * writes once, on the event codec ({@link EventCodec.Builder#personal}). The store seals those
 * fields with the subject's data key on append, so the plain values never reach a table, a cache
 * or a published record; forgetting the subject shreds its key and every reader sees them erased.
 *
 * @param subjectField the payload's text field naming the person the data belongs to (an owner's or a customer's id)
 * @param fields the payload's text fields that are personal; a {@code null} value stays {@code null}
 */
public record PersonalFields(String subjectField, List<String> fields) {

    public PersonalFields {
        Objects.requireNonNull(subjectField, "subjectField");
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("personal fields name at least one field");
        }
        if (fields.contains(subjectField)) {
            throw new IllegalArgumentException("the subject field '" + subjectField + "' cannot itself be sealed: readers need it to find the key");
        }
    }
}
