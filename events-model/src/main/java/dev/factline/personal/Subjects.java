package dev.factline.personal;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.personal.SubjectEvent.PersonalDataForgotten;

/**
 * The people personal data belongs to, as the kernel hosts them: streams {@code subject#<id>}
 * (the id the domains' subject fields hold), whose events record each erasure for the audit.
 */
public final class Subjects {

    public static final String STREAM_TYPE = "subject";

    public static final EventCodec<SubjectEvent> EVENTS = EventCodec.builder(SubjectEvent.class)
            .register("PersonalDataForgotten", PersonalDataForgotten.class)
            .build();

    public static final AggregateType<SubjectCommand, SubjectEvent, SubjectState> TYPE = new AggregateType<>(
            STREAM_TYPE, new SubjectDecider(), EVENTS, new StateCodec<>(SubjectState.class, 1));

    private Subjects() {
    }
}
