package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaimChecksTest {

    /** Blobs in memory, counting the reads: what the cache saves is reads of the store. */
    private static final class CountingBlobs implements BlobStore {
        final Map<String, byte[]> blobs = new HashMap<>();
        int gets;

        @Override
        public void put(String key, byte[] blob) {
            blobs.put(key, blob);
        }

        @Override
        public Optional<byte[]> get(String key) {
            gets++;
            return Optional.ofNullable(blobs.get(key));
        }

        @Override
        public URI location(String key) {
            return URI.create("s3://test/" + key);
        }
    }

    private static PayloadClaim stored(CountingBlobs blobs, String payload) {
        PayloadClaim claim = PayloadClaim.of(payload.getBytes(StandardCharsets.UTF_8));
        blobs.put(claim.key(PayloadClaim.PAYLOADS), payload.getBytes(StandardCharsets.UTF_8));
        return claim;
    }

    @Test
    void a_resolved_payload_is_read_from_the_store_once_per_container() {
        CountingBlobs blobs = new CountingBlobs();
        PayloadClaim claim = stored(blobs, "x".repeat(1_000));
        ClaimChecks checks = ClaimChecks.in(blobs, 100, 10_000, 10_000);

        checks.resolve(claim, "order#o-1 at 1");
        checks.resolve(claim, "order#o-1 at 1");

        assertThat(blobs.gets).isEqualTo(1);
    }

    @Test
    void payloads_over_the_cache_bytes_push_the_least_recently_used_out() {
        CountingBlobs blobs = new CountingBlobs();
        PayloadClaim first = stored(blobs, "a".repeat(1_000));
        PayloadClaim second = stored(blobs, "b".repeat(1_000));
        ClaimChecks checks = ClaimChecks.in(blobs, 100, 10_000, 3_000);

        checks.resolve(first, "first");
        checks.resolve(second, "second (2,000 + 2,000 bytes held are over 3,000)");
        checks.resolve(second, "second again");
        checks.resolve(first, "first again");

        assertThat(blobs.gets).as("second stays cached, first was pushed out").isEqualTo(3);
    }
}
