package dev.factline.functions.testing;

import dev.factline.emulators.NodeServer;
import dev.factline.emulators.NodeServer.Emulator;
import dev.factline.emulators.NodeServer.PerJvm;
import dev.factline.emulators.OutsideEndpoints;
import dev.factline.functions.store.EventTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * A DynamoDB-compatible server for tests: dynalite (the npm package, Apache-2.0) in memory, in a
 * Node child process on a free port of 127.0.0.1, reached by the real AWS SDK over real HTTP.
 *
 * <p>{@link #start()} gives a server of one's own, stopped by {@link #close()}; {@link #shared()}
 * gives the one server of this JVM, for test classes that use tables of their own names and
 * need not pay for a start each. Starting takes a few hundred milliseconds (Node's start and
 * loading dynalite).
 *
 * <p>Needs Node 18+ on the {@code PATH} and {@code node_modules/dynalite} in the repository root
 * (the {@code functions} build runs {@code npm ci} when it is missing). The server lives in
 * {@code tools/dynalite-server.js}, which also exits when this JVM dies without closing it; the
 * child process is {@link NodeServer}'s.
 *
 * <p>dynalite has no transactions, Streams or TTL. The launcher adds DynamoDB Streams on the same
 * port ({@code tools/dynalite-streams.js}): a table created with a {@code StreamSpecification} gets a
 * stream that {@link #streamsClientBuilder()}'s client reads, one shard per stream, its records kept
 * for the server's life. It answers TransactWriteItems too ({@code tools/dynalite-transactions.js}:
 * all or nothing, isolated from every other write), and TTL ({@code tools/dynalite-ttl.js}: a
 * sweeper reads the tables with TTL a page of 100 items a second, or as often as
 * {@link #start(Duration)} asks, and deletes the expired ones, each a REMOVE record marked as
 * TTL's); TransactGetItems still needs another server.
 *
 * <p>With outside endpoints selected ({@link OutsideEndpoints#selected()}: moto, or
 * {@code FACTLINE_ENDPOINT}), {@link #start()} and {@link #shared()} start nothing and hand out
 * clients for those endpoints instead; a test that needs dynalite itself is skipped there, with the reason.
 */
public final class LocalDynamo extends LocalEmulator<DynamoDbClient> {

    private static final String LAUNCHER = "tools/dynalite-server.js";
    private static final String TTL_SWEEP_VARIABLE = "DYNALITE_TTL_SWEEP_MS";
    private static final Emulator DYNALITE = new Emulator("dynalite", "DynamoDB");
    private static final PerJvm<LocalDynamo> SHARED = new PerJvm<>(
            () -> outside().map(endpoints -> new LocalDynamo(endpoints, true)).orElseGet(() -> start("node", repositoryRoot().resolve(LAUNCHER), Map.of(), true)),
            LocalDynamo::stop, "local-dynamo-shutdown");

    private final URI streamsEndpoint;

    private LocalDynamo(NodeServer server, boolean isShared) {
        super(server, isShared, server.configure(DynamoDbClient.builder()).build());
        this.streamsEndpoint = server.endpoint();
    }

    private LocalDynamo(OutsideEndpoints endpoints, boolean isShared) {
        super(endpoints.dynamoDb(), isShared, OutsideEndpoints.configure(DynamoDbClient.builder(), endpoints.dynamoDb()).build());
        this.streamsEndpoint = endpoints.streams();
    }

    /** Starts a server of its own (with outside endpoints selected, a client of its own for them); close it when done. */
    public static LocalDynamo start() {
        return outside().map(endpoints -> new LocalDynamo(endpoints, false))
                .orElseGet(() -> start("node", repositoryRoot().resolve(LAUNCHER), Map.of(), false));
    }

    /**
     * Starts a server of its own whose TTL sweeper reads a page every {@code ttlSweep}, for a test
     * that waits for items to expire; close it when done.
     */
    public static LocalDynamo start(Duration ttlSweep) {
        requireOwnEmulator("dynalite's TTL sweep every " + ttlSweep.toMillis() + " ms");
        return start("node", repositoryRoot().resolve(LAUNCHER), Map.of(TTL_SWEEP_VARIABLE, Long.toString(ttlSweep.toMillis())), false);
    }

    /**
     * The server this JVM shares: started on first use, stopped when the JVM exits. Its
     * {@link #close()} does nothing, so a test class cannot stop it under the others.
     */
    public static LocalDynamo shared() {
        return SHARED.get();
    }

    /**
     * A client builder set up for this server (region us-east-1, dummy credentials, the
     * URLConnection HTTP client), for a client with settings of its own, such as an interceptor
     * that counts calls; close what you build.
     */
    public DynamoDbClientBuilder clientBuilder() {
        return configure(DynamoDbClient.builder(), endpoint());
    }

    /**
     * A DynamoDB Streams client builder for this server, set up as {@link #clientBuilder()} is: it
     * reads the streams of the tables created here with a {@code StreamSpecification}. Close what
     * you build.
     */
    public DynamoDbStreamsClientBuilder streamsClientBuilder() {
        return configure(DynamoDbStreamsClient.builder(), streamsEndpoint);
    }

    /**
     * Creates a table and returns once it is ACTIVE. dynalite answers CreateTable with CREATING
     * and turns the table ACTIVE a moment later (a timer, even at 0 ms), so a request sent at once
     * may find no table: a PutItem right after CreateTable got ResourceNotFoundException about
     * once in 300 tries.
     */
    public void createTable(CreateTableRequest request) {
        client().createTable(request);
        NodeServer.awaitActive("table " + request.tableName(),
                () -> client().describeTable(b -> b.tableName(request.tableName())).table().tableStatus() == TableStatus.ACTIVE);
    }

    /** Creates an event table as the CDK app has it: with its stream and TTL on the claims' expiry. */
    public void createTable(EventTable table) {
        createTable(table.createTableRequest());
        client().updateTimeToLive(table.timeToLiveRequest());
    }

    /** Starts {@code node launcher 0} with the launcher's {@code settings} and waits for the port it prints. */
    static LocalDynamo start(String node, Path launcher, Map<String, String> settings, boolean isShared) {
        return NodeServer.start(node, launcher, settings, DYNALITE, server -> new LocalDynamo(server, isShared));
    }

    /** The repository root: the nearest folder at or above the working directory with the launcher. */
    static Path repositoryRoot() {
        return NodeServer.repositoryRoot(LAUNCHER);
    }
}
