package dev.factline.functions.testing;

import dev.factline.emulators.NodeServer;
import dev.factline.emulators.NodeServer.Emulator;
import dev.factline.emulators.NodeServer.PerJvm;
import dev.factline.emulators.OutsideEndpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A Kinesis-compatible server for tests: kinesalite (the npm package, MIT) in memory, in a Node
 * child process on a free port of 127.0.0.1, reached by the real AWS SDK over real HTTP.
 *
 * <p>{@link #start()} gives a server of one's own, stopped by {@link #close()}; {@link #shared()}
 * gives the one server of this JVM, for test classes that use streams of their own names. The
 * server lives in {@code tools/kinesalite-server.js}, which lets the OS pick the port (so there
 * is no race for a free one), prints it, and exits when this JVM dies without closing it (its
 * stdin closes); the child process is {@link NodeServer}'s. Starting takes a few hundred
 * milliseconds. Needs Node 18+ on the {@code PATH} and {@code node_modules/kinesalite} in the
 * repository root (the {@code functions} build runs {@code npm ci} when it is missing).
 *
 * <p><b>CBOR.</b> The SDK speaks CBOR to Kinesis unless told otherwise, and cannot read
 * kinesalite's CBOR answers. Whether a client uses CBOR is fixed when it is built, from the
 * {@code aws.cborEnabled} system property (or {@code CBOR_ENABLED} in the environment), so this
 * class sets {@code aws.cborEnabled=false} for the whole test JVM when it is loaded, before any of
 * its builders can build. That is the one switch the SDK offers; production code never sets it
 * (real Kinesis speaks CBOR), and a handler built in such a JVM runs unchanged.
 *
 * <p>What kinesalite does not do, on purpose or not: no enhanced fan-out
 * ({@code RegisterStreamConsumer}), no partial PutRecords failures (it stores every entry of a
 * valid request, or refuses the whole request), no 5 MiB request limit (it refuses bodies over
 * 7 MiB), and it checks the 1 MiB record limit on the data alone, where Kinesis counts the
 * partition key too.
 *
 * <p>With outside endpoints selected ({@link OutsideEndpoints#selected()}), {@link #start()} and
 * {@link #shared()} start nothing and hand out clients for their Kinesis endpoint instead.
 */
public final class LocalKinesis extends LocalEmulator<KinesisClient> {

    private static final String LAUNCHER = "tools/kinesalite-server.js";
    private static final Emulator KINESALITE = new Emulator("kinesalite", "Kinesis");

    static {
        cborOff();
    }

    private static final PerJvm<LocalKinesis> SHARED = new PerJvm<>(
            () -> outside().map(endpoints -> new LocalKinesis(endpoints, true)).orElseGet(() -> start("node", repositoryRoot().resolve(LAUNCHER), true)),
            LocalKinesis::stop, "local-kinesis-shutdown");

    private LocalKinesis(NodeServer server, boolean isShared) {
        super(server, isShared, builderFor(server).build());
    }

    private LocalKinesis(OutsideEndpoints endpoints, boolean isShared) {
        super(endpoints.kinesis(), isShared, OutsideEndpoints.configure(KinesisClient.builder(), endpoints.kinesis()).build());
    }

    /** Starts a server of its own (with outside endpoints selected, a client of its own for them); close it when done. */
    public static LocalKinesis start() {
        return outside().map(endpoints -> new LocalKinesis(endpoints, false)).orElseGet(() -> start("node", repositoryRoot().resolve(LAUNCHER), false));
    }

    /**
     * The server this JVM shares: started on first use, stopped when the JVM exits. Its
     * {@link #close()} does nothing, so a test class cannot stop it under the others.
     */
    public static LocalKinesis shared() {
        return SHARED.get();
    }

    /**
     * A client builder set up for this server (region us-east-1, dummy credentials, the
     * URLConnection HTTP client, CBOR off), for a client with settings of its own, such as an
     * interceptor that counts calls; close what you build.
     */
    public KinesisClientBuilder clientBuilder() {
        cborOff();
        return configure(KinesisClient.builder(), endpoint());
    }

    /**
     * Creates a stream of {@code shards} shards and returns once it is ACTIVE. kinesalite answers
     * CreateStream at once and turns the stream ACTIVE on a timer, even at 0 ms, so a PutRecords
     * sent straight after it may find no stream.
     */
    public void createStream(String name, int shards) {
        client().createStream(b -> b.streamName(name).shardCount(shards));
        NodeServer.awaitActive("stream " + name, () -> client().describeStreamSummary(b -> b.streamName(name))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    /**
     * Every record now in {@code stream}, read as a downstream consumer reads it: each shard, in
     * ListShards' order, from TRIM_HORIZON with GetRecords until a page comes back empty. Keyed by
     * shard id, each shard's records in its order.
     */
    public static Map<String, List<Record>> recordsByShard(KinesisClient kinesis, String stream) {
        Map<String, List<Record>> byShard = new LinkedHashMap<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            List<Record> records = new ArrayList<>();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (@Nullable String next = iterator; next != null; ) {
                String current = next;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current));
                records.addAll(page.records());
                next = page.records().isEmpty() ? null : page.nextShardIterator();
            }
            byShard.put(shard.shardId(), records);
        }
        return byShard;
    }

    private static KinesisClientBuilder builderFor(NodeServer server) {
        cborOff();
        return server.configure(KinesisClient.builder());
    }

    /** The SDK reads this when a Kinesis client is built; see the class comment. */
    private static void cborOff() {
        System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), "false");
    }

    /** Starts {@code node launcher 0} and waits for the port it prints. */
    static LocalKinesis start(String node, Path launcher, boolean isShared) {
        return NodeServer.start(node, launcher, KINESALITE, server -> new LocalKinesis(server, isShared));
    }

    /** The repository root: the nearest folder at or above the working directory with the launcher. */
    static Path repositoryRoot() {
        return NodeServer.repositoryRoot(LAUNCHER);
    }
}
