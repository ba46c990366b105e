package dev.factline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Item sizes as DynamoDB's documentation counts them: what the write units of the replay section rest on. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CapacityMeterTest {

    @Test
    void a_string_counts_its_name_and_its_utf8_bytes() {
        assertThat(CapacityMeter.sizeOf(Map.of("pk", AttributeValue.fromS("a-1")))).isEqualTo(2 + 3);
        assertThat(CapacityMeter.sizeOf(Map.of("n", AttributeValue.fromS("é")))).isEqualTo(1 + 2);
    }

    @Test
    void a_number_counts_one_byte_per_two_significant_digits_plus_one() {
        assertThat(CapacityMeter.sizeOf(Map.of("v", AttributeValue.fromN("12345")))).isEqualTo(1 + 3 + 1);
        assertThat(CapacityMeter.sizeOf(Map.of("v", AttributeValue.fromN("1200.00")))).as("trailing zeros trimmed").isEqualTo(1 + 1 + 1);
    }

    @Test
    void maps_and_lists_count_three_bytes_and_one_per_element() {
        AttributeValue map = AttributeValue.fromM(Map.of("a", AttributeValue.fromBool(true)));
        AttributeValue list = AttributeValue.fromL(List.of(AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10]))));

        assertThat(CapacityMeter.sizeOf(Map.of("m", map))).isEqualTo(1 + 3 + 1 + 1 + 1);
        assertThat(CapacityMeter.sizeOf(Map.of("l", list))).isEqualTo(1 + 3 + 1 + 10);
    }
}
