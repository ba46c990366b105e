package dev.factline.functions.command;

import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.http.Texts;
import dev.factline.money.Money;
import java.util.Currency;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Readers of the members the commands share: ids, currencies and amounts of money. */
public final class Fields {

    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    private Fields() {
    }

    /** An id that is, or will become, the id part of a stream id. */
    public static String requiredId(JsonObjectReader object, String name) {
        String value = object.requiredString(name);
        return object.check(name, () -> StreamId.requireId(object.pointerOf(name), value));
    }

    public static @Nullable String optionalId(JsonObjectReader object, String name) {
        String value = object.optionalString(name);
        return value == null ? null : object.check(name, () -> StreamId.requireId(object.pointerOf(name), value));
    }

    /** An ISO 4217 code, such as {@code EUR}. */
    public static Currency currency(JsonObjectReader object, String name) {
        String code = object.requiredString(name);
        if (!CURRENCY_CODE.matcher(code).matches()) {
            throw object.refuse(name, "must be an ISO 4217 currency code such as EUR, but was " + Texts.quoted(code));
        }
        return object.check(name, () -> Money.currency(code));
    }

    /**
     * Money that moves, stored and sent in one shape, {@code {"minorUnits": 1250, "currency": "EUR"}}:
     * an integral number of minor units above zero, and a currency.
     */
    public static Money positiveMoney(JsonObjectReader parent, String name) {
        JsonObjectReader money = parent.requiredObject(name).allowOnly("minorUnits", "currency");
        long minorUnits = money.requiredLong("minorUnits");
        Currency currency = currency(money, "currency");
        if (minorUnits <= 0) {
            throw money.refuse("minorUnits", "must be more than zero, but was " + minorUnits);
        }
        return new Money(minorUnits, currency);
    }
}
