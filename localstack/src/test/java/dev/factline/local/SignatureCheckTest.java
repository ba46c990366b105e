package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/** The hand-written SigV4 computation against signatures made by others: AWS's published test suite and curl. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class SignatureCheckTest {

    @Test
    void it_computes_the_signature_of_aws_published_get_vanilla_case() {
        String signature = SignatureCheck.signature("GET", "/", "", List.of(Map.entry("Host", "example.amazonaws.com"),
                Map.entry("X-Amz-Date", "20150830T123600Z")), Set.of("host", "x-amz-date"), new byte[0], "20150830T123600Z",
                "20150830", "us-east-1", "service", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

        assertThat(signature).isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    /** What curl 7.88.1 sent for {@code curl --aws-sigv4 aws:amz:us-east-1:execute-api --user AKIA:secret -X POST .../accounts -H 'content-type: application/json' -d '{"a":1}'}. */
    @Test
    void it_computes_the_signature_curl_made_for_a_post_with_a_body() {
        String signature = SignatureCheck.signature("POST", "/accounts", "", List.of(Map.entry("Host", "127.0.0.1:45998"),
                Map.entry("X-Amz-Date", "20261207T122324Z"), Map.entry("User-Agent", "curl/7.88.1"), Map.entry("content-type", "application/json")),
                Set.of("content-type", "host", "x-amz-date"), "{\"a\":1}".getBytes(UTF_8), "20261207T122324Z", "20261207", "us-east-1",
                "execute-api", "secret");

        assertThat(signature).isEqualTo("be23a7825401fd7d320d078cccc0dd253d07397aca1f1099d0a11970e70c06ab");
    }

    @Test
    void the_query_is_signed_in_sorted_order_whatever_order_it_came_in() {
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Host", "h"), Map.entry("X-Amz-Date", "20261207T000000Z"));
        String sorted = SignatureCheck.signature("GET", "/x", "a=1&b=2", headers, Set.of("host", "x-amz-date"), new byte[0],
                "20261207T000000Z", "20261207", "us-east-1", "execute-api", "s");
        String reversed = SignatureCheck.signature("GET", "/x", "b=2&a=1", headers, Set.of("host", "x-amz-date"), new byte[0],
                "20261207T000000Z", "20261207", "us-east-1", "execute-api", "s");
        String other = SignatureCheck.signature("GET", "/x", "a=1&b=3", headers, Set.of("host", "x-amz-date"), new byte[0],
                "20261207T000000Z", "20261207", "us-east-1", "execute-api", "s");

        assertThat(reversed).isEqualTo(sorted);
        assertThat(other).isNotEqualTo(sorted);
    }
}
