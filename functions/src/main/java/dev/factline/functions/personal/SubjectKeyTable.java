package dev.factline.functions.personal;

import static dev.factline.functions.store.EventTable.KIND;
import static dev.factline.functions.store.EventTable.PARTITION_KEY;
import static dev.factline.functions.store.EventTable.SORT_KEY;

import dev.factline.eventsourcing.BoundedLru;
import dev.factline.functions.store.EventTable;
import dev.factline.personal.DataKey;
import dev.factline.personal.DataKeys;
import dev.factline.personal.KeyServiceUnavailableException;
import dev.factline.personal.SealedText;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Subjects' data keys as items of the event table, one per subject at
 * {@code ("subject-key#" + subject, 0)}: the current key's id, the key wrapped by the
 * {@link MasterKey}, which master key and algorithm. Forgetting overwrites the item with a
 * tombstone that keeps the key's id and loses its bytes, so a subject already forgotten is told
 * from one never seen, and a retried erasure finds the key it shredded.
 *
 * <p><b>Calls.</b> Every use reads the item, consistently (one GetItem): a key shredded by
 * another container is gone for this one at once, however warm its cache. What is cached is
 * the unwrap: a key id once unwrapped is not sent to the master key again, so a warm container
 * makes no KMS call. Issuing a key adds a GenerateDataKey and a conditional PutItem (a writer
 * that loses the race to issue uses the winner's key).
 */
public final class SubjectKeyTable implements DataKeys {

    static final String PREFIX = "subject-key#";
    static final String KEY_ID = "keyId";
    static final String WRAPPED_KEY = "wrappedKey";
    static final String MASTER_KEY = "masterKey";
    static final String ALGORITHM = "algorithm";
    static final String ISSUED_AT = "issuedAt";
    static final String SHREDDED_AT = "shreddedAt";
    /** Unwrapped keys a container keeps: each is 32 bytes, and a container serves a bounded set of subjects at a time. */
    private static final int KEYS_KEPT = 10_000;

    private final DynamoDbClient dynamo;
    private final EventTable table;
    private final MasterKey master;
    private final InstantSource clock;
    private final BoundedLru<String, SecretKeySpec> unwrapped = new BoundedLru<>(KEYS_KEPT);

    public SubjectKeyTable(DynamoDbClient dynamo, EventTable table, MasterKey master, InstantSource clock) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.master = Objects.requireNonNull(master, "master");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public DataKey sealingKey(String subject) {
        Map<String, AttributeValue> item = read(subject);
        if (isLive(item)) {
            return opened(subject, item);
        }
        MasterKey.IssuedKey issued = master.issue(subject);
        String keyId = UUID.randomUUID().toString();
        Map<String, AttributeValue> fresh = new HashMap<>(key(subject));
        fresh.put(KIND, AttributeValue.fromS(EventTable.SUBJECT_KEY));
        fresh.put(KEY_ID, AttributeValue.fromS(keyId));
        fresh.put(WRAPPED_KEY, AttributeValue.fromB(SdkBytes.fromByteArray(issued.wrapped())));
        fresh.put(MASTER_KEY, AttributeValue.fromS(master.id()));
        fresh.put(ALGORITHM, AttributeValue.fromS(SealedText.ALGORITHM));
        fresh.put(ISSUED_AT, AttributeValue.fromS(clock.instant().toString()));
        try {
            // Absent, or a tombstone: a forgotten subject gets a new key; a live key issued meanwhile wins.
            call(subject, () -> dynamo.putItem(put -> put.tableName(table.name()).item(fresh)
                    .conditionExpression("attribute_not_exists(#pk) OR attribute_not_exists(#wrapped)")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#wrapped", WRAPPED_KEY))));
        } catch (ConditionalCheckFailedException issuedMeanwhile) {
            // Another writer issued a key first: read again and use it (or, shredded since, issue anew).
            return sealingKey(subject);
        }
        SecretKeySpec key = new SecretKeySpec(issued.plain(), "AES");
        unwrapped.put(keyId, key);
        return new DataKey(subject, keyId, key);
    }

    @Override
    public Optional<DataKey> openingKey(String subject, String keyId) {
        Map<String, AttributeValue> item = read(subject);
        if (!isLive(item) || !keyId.equals(item.get(KEY_ID).s())) {
            unwrapped.remove(keyId);
            return Optional.empty();
        }
        return Optional.of(opened(subject, item));
    }

    @Override
    public Optional<String> shred(String subject) {
        Map<String, AttributeValue> item = read(subject);
        if (item.isEmpty()) {
            return Optional.empty();
        }
        String keyId = item.get(KEY_ID).s();
        if (isLive(item)) {
            Map<String, AttributeValue> tombstone = new HashMap<>(key(subject));
            tombstone.put(KIND, AttributeValue.fromS(EventTable.SUBJECT_KEY));
            tombstone.put(KEY_ID, AttributeValue.fromS(keyId));
            tombstone.put(SHREDDED_AT, AttributeValue.fromS(clock.instant().toString()));
            try {
                call(subject, () -> dynamo.putItem(put -> put.tableName(table.name()).item(tombstone)
                        .conditionExpression("#keyId = :keyId")
                        .expressionAttributeNames(Map.of("#keyId", KEY_ID))
                        .expressionAttributeValues(Map.of(":keyId", AttributeValue.fromS(keyId)))));
            } catch (ConditionalCheckFailedException reissuedMeanwhile) {
                return shred(subject);
            }
        }
        unwrapped.remove(keyId);
        return Optional.of(keyId);
    }

    private DataKey opened(String subject, Map<String, AttributeValue> item) {
        String keyId = item.get(KEY_ID).s();
        SecretKeySpec key = unwrapped.get(keyId);
        if (key == null) {
            // Unwrapped outside the LRU's lock, so one slow master key call holds up no other subject; a race unwraps twice, harmlessly.
            key = new SecretKeySpec(master.unwrap(subject, item.get(WRAPPED_KEY).b().asByteArray()), "AES");
            unwrapped.put(keyId, key);
        }
        return new DataKey(subject, keyId, key);
    }

    private Map<String, AttributeValue> read(String subject) {
        return call(subject, () -> dynamo.getItem(get -> get.tableName(table.name()).key(key(subject)).consistentRead(true)).item());
    }

    private static boolean isLive(Map<String, AttributeValue> item) {
        return item.containsKey(WRAPPED_KEY);
    }

    private static Map<String, AttributeValue> key(String subject) {
        return Map.of(PARTITION_KEY, AttributeValue.fromS(PREFIX + subject), SORT_KEY, AttributeValue.fromN("0"));
    }

    private <T> T call(String subject, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException conditional) {
            throw conditional;
        } catch (SdkException failure) {
            throw new KeyServiceUnavailableException("the data key of " + subject + " could not be read or written in " + table.name()
                    + ": " + failure.getMessage(), failure);
        }
    }
}
