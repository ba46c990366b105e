package dev.factline.functions.store;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Claim-checked payloads in one S3 bucket. The client is built on first use, not with the
 * function: a function that never meets a large payload never builds it, so its cold start does
 * not pay for the S3 client. The bucket's own default encryption (SSE-KMS on AWS) encrypts each
 * object; the request names none.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private final String bucket;
    private final Supplier<S3Client> build;
    private volatile @Nullable S3Client client;

    /** @param build makes the client, once, on first use */
    public S3BlobStore(String bucket, Supplier<S3Client> build) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.build = Objects.requireNonNull(build, "build");
    }

    @Override
    public void put(String key, byte[] blob) {
        try {
            client().putObject(request -> request.bucket(bucket).key(key).contentType("application/json").contentLength((long) blob.length),
                    RequestBody.fromBytes(blob));
        } catch (SdkException failure) {
            throw unavailable("store", key, failure);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(client().getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (SdkException failure) {
            throw unavailable("read", key, failure);
        }
    }

    @Override
    public URI location(String key) {
        return URI.create("s3://" + bucket + "/" + key);
    }

    /** Closes the client, if one was built. */
    @Override
    public synchronized void close() {
        S3Client built = client;
        if (built != null) {
            built.close();
        }
    }

    private S3Client client() {
        S3Client built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = build.get();
                    client = built;
                }
            }
        }
        return built;
    }

    private PayloadStoreUnavailableException unavailable(String operation, String key, SdkException failure) {
        return new PayloadStoreUnavailableException("could not " + operation + " the payload " + location(key) + ": " + failure.getMessage(),
                failure);
    }
}
