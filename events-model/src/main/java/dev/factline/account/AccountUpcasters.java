package dev.factline.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The steps that lift stored account events to their current shape. Each is one schema version
 * up, on the JSON tree, and refuses (naming the field) a payload that is not the shape it lifts;
 * the codec reports that as an undecodable event.
 */
final class AccountUpcasters {

    private AccountUpcasters() {
    }

    /**
     * {@code AccountOpened} v1 to v2: adds the holder's name and email as {@code null}: accounts
     * opened before v2 were opened without them.
     */
    static ObjectNode accountOpenedV1ToV2(ObjectNode payload) {
        for (String field : new String[] {"holderName", "holderEmail"}) {
            if (payload.has(field)) {
                throw new IllegalArgumentException("a v1 AccountOpened has no '" + field + "', but got " + payload.get(field));
            }
            payload.putNull(field);
        }
        return payload;
    }

    /**
     * {@code MoneyDeposited} v1 to v2: the flat amount and currency become a nested money value.
     * {@code {"amount": 1250, "currency": "EUR"}} becomes
     * {@code {"amount": {"minorUnits": 1250, "currency": "EUR"}}}.
     */
    static ObjectNode moneyDepositedV1ToV2(ObjectNode payload) {
        JsonNode minorUnits = payload.path("amount");
        JsonNode currency = payload.path("currency");
        if (!minorUnits.isIntegralNumber() || !minorUnits.canConvertToLong()) {
            throw new IllegalArgumentException("a v1 MoneyDeposited has a whole number 'amount', but got " + minorUnits);
        }
        if (!currency.isTextual()) {
            throw new IllegalArgumentException("a v1 MoneyDeposited has a text 'currency', but got " + currency);
        }
        ObjectNode amount = payload.objectNode();
        amount.put("minorUnits", minorUnits.longValue());
        amount.put("currency", currency.textValue());
        payload.remove("currency");
        payload.set("amount", amount);
        return payload;
    }

    /**
     * {@code MoneyDeposited} v2 to v3: adds the {@code reference} deposits now carry, as
     * {@code null}: deposits made before it existed had none.
     */
    static ObjectNode moneyDepositedV2ToV3(ObjectNode payload) {
        if (payload.has("reference")) {
            throw new IllegalArgumentException("a v2 MoneyDeposited has no 'reference', but got " + payload.get("reference"));
        }
        payload.putNull("reference");
        return payload;
    }
}
