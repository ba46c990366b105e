package dev.factline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountOpened;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.S3BlobStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.EventHistory;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalS3;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The replay tool as a person runs it, on dynalite: a history of 10,000 events over 500 streams
 * projected live, a new version rebuilt by a process that is killed with SIGKILL half-way, the
 * same command run again until it resumes and finishes, and the two versions compared row for row.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplayIT {

    private static final Pattern EVENTS = Pattern.compile("events ([0-9,]+) ");
    private static EventHistory history;

    @BeforeAll
    static void history() {
        history = EventHistory.create(LocalDynamo.shared(), "replay");
        history.writeAccounts("a-", 500, 20);
        history.project(ReadModels.of(AccountView.MODEL));
    }

    @AfterAll
    static void drop() {
        history.close();
    }

    private static List<String> tables() {
        return List.of("--endpoint-url", LocalDynamo.shared().endpoint().toString(),
                "--event-table", history.eventTable().name(), "--read-table", history.readTable().name());
    }

    private static String[] command(String... words) {
        List<String> args = new ArrayList<>(List.of("--read-models", TwoAccountViews.class.getName()));
        args.addAll(List.of(words));
        args.addAll(tables());
        return args.toArray(String[]::new);
    }

    /** The tool run in this JVM, as main runs it: its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Replay.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_rebuild_killed_with_sigkill_and_run_again_ends_equal_to_the_live_version_row_for_row() throws Exception {
        String[] rebuild = command("rebuild", "account-view", "2", "--segments", "4", "--page-size", "25", "--lease", "2s",
                "--progress-every", "200ms");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Replay.class.getName()));
        java.addAll(List.of(rebuild));
        Process child = new ProcessBuilder(java).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long eventsSeen = 0;
        try (BufferedReader progress = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = progress.readLine(); line != null && eventsSeen < 3_000; line = progress.readLine()) {
                Matcher events = EVENTS.matcher(line);
                if (events.find()) {
                    eventsSeen = Long.parseLong(events.group(1).replace(",", ""));
                }
            }
            child.destroyForcibly();
            child.waitFor();
        }
        RebuildLedger ledger = new RebuildLedger(LocalDynamo.shared().client(), history.readTable());
        long checkpointed = ledger.checkpoints("account-view@2", 4).stream().mapToLong(RebuildLedger.Checkpoint::events).sum();
        assertThat(eventsSeen).as("the killed run got going").isGreaterThanOrEqualTo(3_000);
        assertThat(checkpointed).as("and was killed before the end").isLessThan(10_000);

        Run again = replay(rebuild);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (again.exitCode() == Replay.REFUSED && Instant.now().isBefore(deadline)) {
            assertThat(again.err()).contains("is running");
            Thread.sleep(250);
            again = replay(rebuild);
        }
        Run diff = replay(command("diff", "account-view", "2", "--against", "1"));

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("rebuilt account-view@2: 4 segments", "10,000 events", "next: factline-replay cutover account-view 2");
        assertThat(diff.exitCode()).as(diff.out() + diff.err()).isZero();
        assertThat(diff.out()).contains("500 rows against 500; 500 the same, 0 differ");
    }

    @Test
    void a_rebuild_reads_claim_checked_payloads_from_the_bucket_it_is_given_and_without_one_reports_them_unreadable() {
        String bucket = "replay-payloads";
        StreamId large = StreamId.of(Accounts.STREAM_TYPE, "a-large");
        String holder = "x".repeat(70 * 1024);
        try (LocalS3 s3 = LocalS3.start(bucket); S3Client client = s3.clientBuilder().build();
                EventHistory unreadable = EventHistory.create(LocalDynamo.shared(), "replay-no-bucket");
                EventHistory readable = EventHistory.create(LocalDynamo.shared(), "replay-bucket")) {
            for (EventHistory history : List.of(unreadable, readable)) {
                SerializedEvent opened = Accounts.codec().encode(new AccountOpened("c-large", Currency.getInstance("EUR"), holder, null));
                new DynamoDbEventStore(LocalDynamo.shared().client(), history.eventTable(), StoreLimits.defaults(), Clock.systemUTC())
                        .withClaimChecks(ClaimChecks.in(new S3BlobStore(bucket, () -> client), StoreLimits.DEFAULT_MAX_PAYLOAD_BYTES,
                                ClaimChecks.DEFAULT_MAX_PAYLOAD_BYTES, 0))
                        .append(large, 0, List.of(new NewEvent(UUID.randomUUID(), opened.type(), opened.schemaVersion(), Instant.now(),
                                opened.payload(), EventMetadata.forCommand("replay-claims"))), null);
            }

            Run withoutBucket = replay(rebuildOf(unreadable));
            Run withBucket = replay(rebuildOf(readable, "--payload-bucket", bucket, "--s3-endpoint-url", s3.endpoint().toString()));

            assertThat(withoutBucket.out()).as(withoutBucket.out() + withoutBucket.err()).contains(large.toString());
            assertThat(rows(unreadable)).doesNotContain(holder);
            assertThat(withBucket.exitCode()).as(withBucket.out() + withBucket.err()).isZero();
            assertThat(withBucket.out()).doesNotContain(large.toString());
            assertThat(rows(readable)).contains(holder);
        }
    }

    /** {@code rebuild account-view 2} of {@code history}'s tables, with {@code more} options. */
    private static String[] rebuildOf(EventHistory history, String... more) {
        List<String> args = new ArrayList<>(List.of("--read-models", TwoAccountViews.class.getName(), "rebuild", "account-view", "2",
                "--endpoint-url", LocalDynamo.shared().endpoint().toString(), "--event-table", history.eventTable().name(),
                "--read-table", history.readTable().name()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String rows(EventHistory history) {
        return LocalDynamo.shared().client().scan(scan -> scan.tableName(history.readTable().name())).items().toString();
    }

    @Test
    void a_rebuild_of_the_version_served_says_queries_read_it_now_not_to_cut_over() {
        Run backfill = replay(command("rebuild", "account-view", "1", "--segments", "2"));

        assertThat(backfill.exitCode()).as(backfill.out() + backfill.err()).isZero();
        assertThat(backfill.out()).contains("account-view 1 is the version queries serve").doesNotContain("cutover");
    }

    @Test
    void what_is_not_hosted_is_refused_with_exit_code_2_and_nothing_written() {
        Run unknown = replay(command("rebuild", "account-veiw", "1"));
        Run tally = replay("rebuild", "order-dashboard", "1", "--endpoint-url", "http://127.0.0.1:9", "--event-table", "e-1", "--read-table", "r-1");
        Run noTable = replay("--read-models", TwoAccountViews.class.getName(), "rebuild", "account-view", "2",
                "--endpoint-url", LocalDynamo.shared().endpoint().toString(), "--event-table", "no-such-table", "--read-table", history.readTable().name());
        Run badOption = replay(command("rebuild", "account-view", "2", "--segments", "many"));

        assertThat(unknown.exitCode()).isEqualTo(Replay.BAD_INPUT);
        assertThat(unknown.err()).contains("no read model account-veiw@1 is hosted; hosted: account-view@1, account-view@2");
        assertThat(tally.exitCode()).isEqualTo(Replay.BAD_INPUT);
        assertThat(tally.err()).contains("rebuild order-view 1");
        assertThat(noTable.exitCode()).isEqualTo(Replay.BAD_INPUT);
        assertThat(noTable.err()).contains("there is no table no-such-table");
        assertThat(badOption.exitCode()).isEqualTo(Replay.BAD_INPUT);
        assertThat(badOption.err()).contains("--segments", "many");
        assertThat(new RebuildLedger(LocalDynamo.shared().client(), history.readTable()).run("account-veiw@1")).isEmpty();
    }

    @Test
    void a_cutover_to_a_version_not_hosted_is_bad_input_and_a_rollback_never_cut_over_is_refused() {
        Run cutover = replay(command("cutover", "account-view", "3"));
        Run rollback = replay(command("rollback", "account-view"));

        assertThat(cutover.exitCode()).isEqualTo(Replay.BAD_INPUT);
        assertThat(rollback.exitCode()).as(rollback.err()).isEqualTo(Replay.REFUSED);
        assertThat(rollback.err()).contains("never cut over: nothing to roll back to");
    }
}
