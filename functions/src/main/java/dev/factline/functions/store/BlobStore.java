package dev.factline.functions.store;

import java.net.URI;
import java.util.Optional;

/**
 * Where claim-checked payloads live, by key: an S3 bucket ({@link S3BlobStore}). Keys are content
 * addresses, so a put of a key already stored stores the same bytes again and is harmless.
 */
public interface BlobStore {

    /** @throws PayloadStoreUnavailableException if the store cannot be used */
    void put(String key, byte[] blob);

    /**
     * The blob stored under {@code key}; empty if there is none.
     *
     * @throws PayloadStoreUnavailableException if the store cannot be used
     */
    Optional<byte[]> get(String key);

    /** Where a consumer outside finds the blob: {@code s3://bucket/key}. */
    URI location(String key);
}
