package dev.factline.benchmarks.calls;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.calls.CountedStore.Calls;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.personal.FileMasterKey;
import dev.factline.functions.personal.SubjectKeyTable;
import dev.factline.functions.testing.CountingMasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * DynamoDB and master-key calls of commands that carry personal data (an account opened with the
 * holder's name and email), through the HTTP command function with its data keys in the counted
 * event table, against the same command without them. The master key is the local key file, its
 * uses counted as the KMS calls they stand for (GenerateDataKey, Decrypt).
 */
final class PersonalDataCalls {

    private final CountedStore counted;
    private final WritePolicy policy;
    private final Path masterKeyFile;

    PersonalDataCalls(CountedStore counted, WritePolicy policy) {
        this.counted = counted;
        this.policy = policy;
        try {
            this.masterKeyFile = Files.createTempDirectory("factline-bench-keys").resolve("master.key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void measure(Bench bench, int commands) {
        String subject = "subject-" + UUID.randomUUID();
        KeyedContainer warm = container();
        warm.function().handleRequest(open(subject, true), null);

        Measured plain = measured(commands, () -> warm, () -> "s-" + UUID.randomUUID(), false);
        Measured warmKey = measured(commands, () -> warm, () -> subject, true);
        Measured coldContainer = measured(commands, this::container, () -> subject, true);
        Measured newSubject = measured(commands, () -> warm, () -> "s-" + UUID.randomUUID(), true);

        count(bench, "account opened without personal data (warm)", plain, Limit.floor(2, "floor: the Query that finds no stream and the commit PutItem"));
        count(bench, "account opened with a name and email, the subject's key cached (warm)", warmKey,
                Limit.floor(3, "floor: those 2 and one consistent GetItem of the subject's key item, which a forget must be seen through"));
        count(bench, "the same on a fresh container (cold, key item exists)", coldContainer, null);
        count(bench, "the first personal data of a new subject", newSubject, null);
        // Its floor is 0 (no KMS call with a cached key), which a Limit cannot hold: the method text says it.
        keyCalls(bench, "master-key calls per command, warm (floor: 0, no KMS call with a cached key)", warmKey, null);
        keyCalls(bench, "master-key calls per command, cold container", coldContainer, null);
        keyCalls(bench, "master-key calls per command, new subject", newSubject, null);
    }

    private record KeyedContainer(CommandFunction function, CountingMasterKey master) {
    }

    private record Measured(Calls calls, int issued, int unwrapped, int commands) {
    }

    private KeyedContainer container() {
        CountingMasterKey master = new CountingMasterKey(new FileMasterKey(masterKeyFile));
        SubjectKeyTable keys = new SubjectKeyTable(counted.client(), counted.table(), master, Clock.systemUTC());
        return new KeyedContainer(new CommandFunction(counted.store(), keys, Clock.systemUTC(), IdGenerator.random(), policy), master);
    }

    private Measured measured(int commands, Supplier<KeyedContainer> containers, Supplier<String> subjects, boolean personal) {
        int[] issued = {0};
        int[] unwrapped = {0};
        Calls calls = Calls.NONE;
        for (int i = 0; i < commands; i++) {
            KeyedContainer container = containers.get();
            int issuedBefore = container.master().issued();
            int unwrappedBefore = container.master().unwrapped();
            APIGatewayV2HTTPEvent request = open(subjects.get(), personal);
            calls = calls.plus(counted.callsOf(() -> {
                APIGatewayV2HTTPResponse answer = container.function().handleRequest(request, null);
                if (answer.getStatusCode() != 201) {
                    throw new IllegalStateException("an account was not opened: " + answer.getBody());
                }
            }));
            issued[0] += container.master().issued() - issuedBefore;
            unwrapped[0] += container.master().unwrapped() - unwrappedBefore;
        }
        return new Measured(calls, issued[0], unwrapped[0], commands);
    }

    private static APIGatewayV2HTTPEvent open(String subject, boolean personal) {
        return Container.Http.postEvent("/accounts", "{\"accountId\":\"a-" + UUID.randomUUID() + "\",\"ownerId\":\"" + subject
                + "\",\"currency\":\"EUR\"" + (personal ? ",\"holderName\":\"Ada Lovelace\",\"holderEmail\":\"ada@example.org\"" : "") + "}", null);
    }

    private static void count(Bench bench, String name, Measured measured, @Nullable Limit floor) {
        bench.count(name, "DynamoDB calls/command", (double) measured.calls().total() / measured.commands(),
                "calls counted on the event table's client (its commits and its subjects' key items) over " + measured.commands()
                        + " commands through CommandFunction: " + measured.calls().byOperation(), floor);
    }

    private static void keyCalls(Bench bench, String name, Measured measured, @Nullable Limit floor) {
        bench.count(name, "calls/command", (double) (measured.issued() + measured.unwrapped()) / measured.commands(),
                measured.issued() + " data keys issued (GenerateDataKey) and " + measured.unwrapped() + " unwrapped (Decrypt) over "
                        + measured.commands() + " commands", floor);
    }
}
