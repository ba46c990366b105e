package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PayloadClaimTest {

    private static final byte[] PAYLOAD = "{\"description\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

    @Nested
    class A_claim {

        @Test
        void names_the_sha_256_and_length_of_the_bytes_and_keys_the_blob_by_the_digest_alone() {
            PayloadClaim claim = PayloadClaim.of("abc".getBytes(StandardCharsets.UTF_8));

            assertThat(claim.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(claim.bytes()).isEqualTo(3);
            assertThat(claim.key(PayloadClaim.PAYLOADS)).isEqualTo("payloads/sha256/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        }

        @Test
        void reads_back_the_bytes_it_was_made_of() {
            assertThat(PayloadClaim.of(PAYLOAD).verified(PAYLOAD, "event X")).isEqualTo("{\"description\":\"abc\"}");
        }

        @Test
        void refuses_other_bytes_of_the_same_length_naming_the_event() {
            byte[] other = "{\"description\":\"abd\"}".getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> PayloadClaim.of(PAYLOAD).verified(other, "event Blob at blob#b-1 version 2"))
                    .isInstanceOf(PayloadTamperedException.class)
                    .hasMessageStartingWith("the payload of event Blob at blob#b-1 version 2 fails its claim check");
        }

        @Test
        void refuses_a_prefix_of_the_bytes() {
            byte[] cut = new byte[PAYLOAD.length - 1];
            System.arraycopy(PAYLOAD, 0, cut, 0, cut.length);

            assertThatThrownBy(() -> PayloadClaim.of(PAYLOAD).verified(cut, "event X")).isInstanceOf(PayloadTamperedException.class)
                    .hasMessageContaining("has " + cut.length + " bytes");
        }

        @Test
        void refuses_a_digest_that_is_not_64_lower_case_hex_digits() {
            assertThatThrownBy(() -> new PayloadClaim("ABC", 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
            assertThatThrownBy(() -> new PayloadClaim("a".repeat(64), -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Without_claim_checks {

        @Test
        void nothing_is_offloaded() {
            assertThat(ClaimChecks.none().offloads(Long.MAX_VALUE - 1)).isFalse();
            assertThat(ClaimChecks.none().location(PayloadClaim.of(PAYLOAD))).isEmpty();
        }

        @Test
        void a_claim_in_a_commit_is_an_error_not_a_gap() {
            Map<String, AttributeValue> item = Items.commit(StreamId.of("blob", "b-1"), 0, List.of(
                    new NewEvent(UUID.randomUUID(), "Blob", 1, Instant.EPOCH,
                            new String(PAYLOAD, StandardCharsets.UTF_8), EventMetadata.forCommand("c-1"))),
                    null, Map.of());
            Map<String, AttributeValue> claimed = withClaimInPlaceOfPayload(item);

            assertThatThrownBy(() -> CommitImages.events(claimed, ClaimChecks.none()))
                    .hasMessageContaining("no payload bucket (PAYLOAD_BUCKET)");
        }
    }

    @Nested
    class Claim_checks {

        @Test
        void offload_payloads_over_the_threshold_up_to_the_maximum() {
            ClaimChecks checks = ClaimChecks.in(new NoBlobs(), 10, 20, 0);

            assertThat(checks.offloads(10)).isFalse();
            assertThat(checks.offloads(11)).isTrue();
            assertThat(checks.offloads(20)).isTrue();
            assertThat(checks.offloads(21)).isFalse();
        }

        @Test
        void answer_for_a_text_as_for_its_utf8_bytes_with_or_without_encoding_it() {
            ClaimChecks checks = ClaimChecks.in(new NoBlobs(), 10, 20, 0);
            // Around both bounds, in letters of 1, 2, 3 and 4 bytes (the last a surrogate pair of two chars).
            for (String letter : List.of("a", "\u00e9", "\u20ac", "\ud83d\ude00")) {
                for (int count = 0; count <= 21; count++) {
                    String text = letter.repeat(count);
                    assertThat(checks.offloads(text)).as("%d x %s", count, letter)
                            .isEqualTo(checks.offloads(text.getBytes(StandardCharsets.UTF_8).length));
                }
            }
            assertThat(ClaimChecks.none().offloads("x".repeat(1_000_000))).isFalse();
        }

        @Test
        void refuse_a_maximum_at_or_under_the_threshold() {
            assertThatThrownBy(() -> ClaimChecks.in(new NoBlobs(), 10, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Map<String, AttributeValue> withClaimInPlaceOfPayload(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> event = new HashMap<>(item.get(Items.EVENTS).l().getFirst().m());
        event.remove("payload");
        PayloadClaim claim = PayloadClaim.of(PAYLOAD);
        event.put("payloadClaim", AttributeValue.fromM(Map.of("sha256", AttributeValue.fromS(claim.sha256()),
                "bytes", AttributeValue.fromN(Long.toString(claim.bytes())))));
        Map<String, AttributeValue> claimed = new HashMap<>(item);
        claimed.put(Items.EVENTS, AttributeValue.fromL(List.of(AttributeValue.fromM(event))));
        return claimed;
    }

    /** A blob store that holds nothing: for what claim checks decide without one. */
    private static final class NoBlobs implements BlobStore {
        @Override
        public void put(String key, byte[] blob) {
            throw new AssertionError("nothing is stored here");
        }

        @Override
        public Optional<byte[]> get(String key) {
            return Optional.empty();
        }

        @Override
        public URI location(String key) {
            return URI.create("s3://none/" + key);
        }
    }
}
