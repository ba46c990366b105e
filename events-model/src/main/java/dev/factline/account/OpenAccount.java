package dev.factline.account;

import dev.factline.eventsourcing.StreamId;
import java.util.Currency;

/** Opens the account for its owner, in the one currency it will ever hold. */
public record OpenAccount(String ownerId, Currency currency) implements AccountCommand {

    public OpenAccount {
        StreamId.requireId("ownerId", ownerId);
        Fields.required("currency", currency);
    }
}
