package dev.factline.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The compatibility check over small fixture schemas of a made-up {@code Shipped} event:
 * deliberately breaking changes must fail, naming the type, the version and the field, and
 * compatible ones must pass. The real events are checked by {@link EventCatalogueTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ContractCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** v1 as published: a carrier (one of two), a parcel count and a tracking code. */
    private static final String V1 = """
            {"type": "object",
             "properties": {
               "carrier": {"type": "string", "enum": ["POST", "COURIER"]},
               "parcels": {"type": "integer"},
               "tracking": {"type": "string", "pattern": "^[A-Z0-9]+$"}},
             "required": ["carrier", "parcels", "tracking"],
             "additionalProperties": false}""";

    private static ObjectNode schema(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventContract shipped(int version, String schema) {
        return new EventContract("Shipped", version, schema(schema));
    }

    private static SchemaCatalogue published(EventContract... contracts) {
        return new SchemaCatalogue(List.of(contracts));
    }

    /** v2 as the code would now generate it: v1's JSON text with {@code from} replaced by {@code to}. */
    private static EventContract v2(String from, String to) {
        assertThat(V1).contains(from);
        return shipped(2, V1.replace(from, to));
    }

    @Nested
    class A_published_version {

        @Test
        void that_the_code_still_generates_passes() {
            assertThat(ContractCheck.problems(published(shipped(1, V1)), List.of(shipped(1, V1)))).isEmpty();
        }

        @Test
        void whose_record_changed_without_a_new_version_fails_naming_the_field() {
            EventContract changed = shipped(1, V1.replace("\"parcels\": {\"type\": \"integer\"}", "\"parcels\": {\"type\": \"string\"}"));

            assertThat(ContractCheck.problems(published(shipped(1, V1)), List.of(changed)))
                    .singleElement().asString()
                    .startsWith("Shipped v1 is published and the code no longer matches its committed schema")
                    .contains("field 'parcels': 'type' is \"integer\" committed and \"string\" generated")
                    .contains("give the changed record v2 and an upcaster from v1");
        }

        @Test
        void whose_file_was_edited_by_hand_fails_naming_the_file_and_the_field() {
            SchemaCatalogue edited = published(shipped(1, V1.replace("\"required\": [\"carrier\", \"parcels\", \"tracking\"]",
                    "\"required\": [\"carrier\", \"parcels\"]")));

            assertThat(ContractCheck.problems(edited, List.of(shipped(1, V1))))
                    .singleElement().asString()
                    .contains("contracts/schemas/Shipped/1.json")
                    .contains("field 'tracking' is required in the generated schema only")
                    .contains("restore it from git");
        }

        @Test
        void that_lost_a_field_fails_once_per_field() {
            EventContract fewer = shipped(1, V1.replace(",\n   \"tracking\": {\"type\": \"string\", \"pattern\": \"^[A-Z0-9]+$\"}", ""));

            assertThat(ContractCheck.problems(published(shipped(1, V1)), List.of(fewer)))
                    .anySatisfy(problem -> assertThat(problem).contains("field 'tracking' is in the committed schema but no longer generated"));
        }

        @Test
        void the_code_writes_but_nobody_committed_fails_asking_for_regeneration() {
            assertThat(ContractCheck.problems(published(), List.of(shipped(1, V1))))
                    .singleElement().asString()
                    .isEqualTo("Shipped v1 is what the code writes but is not in the catalogue: regenerate it (" + Regeneration.COMMAND + ")");
        }
    }

    @Nested
    class A_stored_shape {

        @Test
        void of_a_type_no_codec_registers_any_more_fails_as_unreadable() {
            EventContract other = new EventContract("Delivered", 1, schema("{\"type\": \"object\"}"));

            assertThat(ContractCheck.problems(published(shipped(1, V1), other), List.of(other)))
                    .singleElement().asString()
                    .isEqualTo("Shipped v1 is published, so events of that shape are stored, but no codec registers Shipped any more:"
                            + " those events would be unreadable");
        }

        @Test
        void above_the_version_the_codec_reads_fails_as_unreadable() {
            EventContract v2 = v2("\"parcels\": {\"type\": \"integer\"}", "\"parcels\": {\"type\": \"integer\", \"minimum\": 1}");

            assertThat(ContractCheck.problems(published(shipped(1, V1), v2), List.of(shipped(1, V1))))
                    .singleElement().asString()
                    .isEqualTo("Shipped v2 is published, but the codec reads Shipped only up to v1:"
                            + " stored v2 events would be refused as newer than it knows");
        }

        @Test
        void below_the_current_version_whose_file_was_deleted_fails() {
            EventContract v2 = v2("\"additionalProperties\": false", "\"additionalProperties\": false, \"title\": \"v2\"");

            assertThat(ContractCheck.problems(published(v2), List.of(v2)))
                    .singleElement().asString()
                    .startsWith("Shipped v1 is read through the upcasters to v2 but has no committed schema")
                    .contains("restore src/main/resources/contracts/schemas/Shipped/1.json from git");
        }
    }

    @Nested
    class A_new_current_version_under_the_Kinesis_consumers_FORWARD_mode {

        private List<String> problems(EventContract v2) {
            return ContractCheck.problems(published(shipped(1, V1), v2), List.of(v2));
        }

        @Test
        void that_adds_a_field_passes() {
            EventContract withWeight = shipped(2, V1.replace("\"required\": [", "\"required\": [\"weight\", ")
                    .replace("\"properties\": {", "\"properties\": {\"weight\": {\"type\": \"integer\"},"));

            assertThat(problems(withWeight)).isEmpty();
        }

        @Test
        void that_adds_a_nullable_field_passes() {
            assertThat(problems(v2("\"properties\": {", "\"properties\": {\"note\": {\"type\": [\"string\", \"null\"]},")))
                    .isEmpty();
        }

        @Test
        void that_drops_an_enum_value_passes() {
            assertThat(problems(v2("[\"POST\", \"COURIER\"]", "[\"POST\"]"))).isEmpty();
        }

        @Test
        void that_drops_a_required_field_fails_naming_it() {
            assertThat(problems(v2("\"required\": [\"carrier\", \"parcels\", \"tracking\"]", "\"required\": [\"carrier\", \"parcels\"]")))
                    .singleElement().asString()
                    .isEqualTo("Shipped v2 is not FORWARD compatible with v1, which Kinesis consumers of v1 rely on: field 'tracking'"
                            + " is required by readers of the older version and is now optional. A change they cannot read is a new event type");
        }

        @Test
        void that_changes_a_fields_type_fails_naming_it() {
            assertThat(problems(v2("\"parcels\": {\"type\": \"integer\"}", "\"parcels\": {\"type\": \"string\"}")))
                    .singleElement().asString()
                    .contains("Shipped v2 is not FORWARD compatible with v1")
                    .contains("field 'parcels' may now be string; readers of the older version take [integer]");
        }

        @Test
        void that_lets_a_field_be_null_fails_naming_it() {
            assertThat(problems(v2("\"parcels\": {\"type\": \"integer\"}", "\"parcels\": {\"type\": [\"integer\", \"null\"]}")))
                    .singleElement().asString()
                    .contains("field 'parcels' may now be null");
        }

        @Test
        void that_adds_an_enum_value_fails_naming_the_field_and_the_value() {
            assertThat(problems(v2("[\"POST\", \"COURIER\"]", "[\"POST\", \"COURIER\", \"DRONE\"]")))
                    .singleElement().asString()
                    .contains("field 'carrier' may now be 'DRONE', a value readers of the older version do not know");
        }

        @Test
        void that_loosens_a_pattern_fails_naming_the_field() {
            assertThat(problems(v2("\"pattern\": \"^[A-Z0-9]+$\"", "\"pattern\": \"^.+$\"")))
                    .singleElement().asString()
                    .contains("field 'tracking': its 'pattern' was \"^[A-Z0-9]+$\" and is now \"^.+$\"");
        }
    }
}
