package dev.factline.contracts;

import dev.factline.account.Accounts;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.order.Orders;
import dev.factline.personal.Subjects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The event codecs of the domains, whose events the store keeps and the publisher sends: what the catalogue covers. */
final class PublishedEvents {

    static final List<EventCodec<?>> CODECS = List.of(Accounts.codec(), Orders.EVENTS, Products.EVENTS, Subjects.EVENTS);

    private PublishedEvents() {
    }

    /** Each type's current version with the schema generated from its record; a type name two codecs share is refused. */
    static List<EventContract> current() {
        List<EventContract> current = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (EventCodec<?> codec : CODECS) {
            for (String type : codec.typeNames()) {
                if (!seen.add(type)) {
                    throw new IllegalStateException("two codecs register the event type " + type + "; the catalogue names a type once");
                }
                int version = codec.currentSchemaVersion(type);
                current.add(new EventContract(type, version, EventSchemas.of(type, version, codec.eventClass(type))));
            }
        }
        return current;
    }
}
