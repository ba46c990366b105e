package dev.factline.functions.personal;

import dev.factline.functions.config.Environment;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.store.EventTable;
import dev.factline.personal.DataKeys;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The data keys a function's environment gives it: {@code MASTER_KEY} read once, the key items in its event table. */
public final class PersonalDataKeys {

    /** A key's use is small: a slow KMS is a 503 from the function, well inside API Gateway's 30 s. */
    private static final Duration KMS_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KMS_CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final String FILE = "file:";
    private static final Pattern KMS_KEY = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]+"
            + "|alias/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");

    private PersonalDataKeys() {
    }

    /**
     * The subjects' keys in {@code table}, wrapped by the master key {@code MASTER_KEY} names; with
     * none set, keys that refuse every use, saying so (a function the topology gives no master key).
     *
     * @throws IllegalStateException naming the variable, when it is neither a KMS key nor {@code file:<path>}
     */
    public static DataKeys fromEnvironment(Environment environment, DynamoDbClient dynamo, EventTable table) {
        return masterKey(environment)
                .<DataKeys>map(master -> new SubjectKeyTable(dynamo, table, master, Clock.systemUTC()))
                .orElseGet(() -> DataKeys.none(FunctionSettings.MASTER_KEY.name() + " is not set, so this function holds no master key"));
    }

    static Optional<MasterKey> masterKey(Environment environment) {
        return environment.get(FunctionSettings.MASTER_KEY).map(reference -> {
            if (reference.startsWith(FILE)) {
                if (reference.length() == FILE.length()) {
                    throw refused(reference, "it names no file after file:");
                }
                try {
                    return new FileMasterKey(Path.of(reference.substring(FILE.length())));
                } catch (InvalidPathException invalid) {
                    throw refused(reference, "its path is not one: " + invalid.getMessage());
                }
            }
            if (!KMS_KEY.matcher(reference).matches()) {
                throw refused(reference, "it is neither a KMS key (an ARN, alias/<name> or a key id) nor file:<path>");
            }
            return new KmsMasterKey(environment.kms(KMS_ATTEMPT_TIMEOUT, KMS_CALL_TIMEOUT), reference);
        });
    }

    private static IllegalStateException refused(String reference, String why) {
        return new IllegalStateException(FunctionSettings.MASTER_KEY.name() + " is '" + reference + "', but " + why);
    }
}
