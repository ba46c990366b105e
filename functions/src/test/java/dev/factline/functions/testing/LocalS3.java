package dev.factline.functions.testing;

import dev.factline.emulators.NodeServer;
import dev.factline.emulators.NodeServer.Emulator;
import java.util.Map;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * An S3-compatible server for tests: s3rver (the npm package, MIT) in a Node child process on a
 * free port of 127.0.0.1, its objects in a temporary folder removed when it stops, reached by the
 * real AWS SDK over real HTTP, signing with the dummy credentials of the other emulators ({@code local}).
 * {@code tools/s3rver-server.js} creates the bucket named at start.
 * Each test class starts its own, so that it can stop it (an S3 outage) without harm to others.
 */
public final class LocalS3 extends LocalEmulator<S3Client> {

    private static final String LAUNCHER = "tools/s3rver-server.js";
    private static final Emulator S3RVER = new Emulator("s3rver", "S3");

    private LocalS3(NodeServer server) {
        super(server, false, builderFor(server).build());
    }

    /** Starts a server with {@code bucket} created; close it when done. */
    public static LocalS3 start(String bucket) {
        requireOwnEmulator("an S3 server it can stop");
        return NodeServer.start("node", NodeServer.repositoryRoot(LAUNCHER).resolve(LAUNCHER), Map.of("S3RVER_BUCKETS", bucket, "S3RVER_ACCESS_KEY_ID", "local", "S3RVER_SECRET_ACCESS_KEY", "local"), S3RVER,
                LocalS3::new);
    }

    /**
     * A client builder set up for this server as {@code Environment.s3} sets one up for an endpoint
     * of its own (path-style addresses, checksums only where required); close what you build.
     */
    public S3ClientBuilder clientBuilder() {
        return localStyle(configure(S3Client.builder(), endpoint()));
    }

    private static S3ClientBuilder builderFor(NodeServer server) {
        return localStyle(server.configure(S3Client.builder()));
    }

    private static S3ClientBuilder localStyle(S3ClientBuilder builder) {
        return builder.forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
}
