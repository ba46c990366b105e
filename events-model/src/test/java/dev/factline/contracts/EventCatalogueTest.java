package dev.factline.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The committed catalogue against the code, as {@link ContractCheck} states it. With
 * {@code -Dcontracts.regenerate=true} ({@link Regeneration#COMMAND}) it first writes the current
 * version of each type that has no file yet, and the AsyncAPI document; a schema file that exists
 * is never overwritten, so a published version cannot be changed by regenerating.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventCatalogueTest {

    @Test
    void the_committed_catalogue_agrees_with_the_codecs_and_the_event_records() {
        List<EventContract> current = PublishedEvents.current();
        if (Regeneration.requested()) {
            for (EventContract contract : current) {
                var file = SchemaCatalogue.file(SchemaCatalogue.COMMITTED, contract.type(), contract.version());
                if (!Files.exists(file)) {
                    SchemaCatalogue.write(file, contract.schema());
                }
            }
        }

        assertThat(ContractCheck.problems(SchemaCatalogue.read(SchemaCatalogue.COMMITTED), current)).isEmpty();
    }

    @Test
    void the_committed_asyncapi_document_is_the_one_the_catalogue_and_the_envelope_make() {
        var built = AsyncApiDocument.of(SchemaCatalogue.read(SchemaCatalogue.COMMITTED), AsyncApiDocument.read(AsyncApiDocument.ENVELOPE));
        if (Regeneration.requested()) {
            SchemaCatalogue.write(AsyncApiDocument.COMMITTED, built);
        }

        assertThat(Files.exists(AsyncApiDocument.COMMITTED)).as(AsyncApiDocument.COMMITTED + " exists; regenerate: " + Regeneration.COMMAND).isTrue();
        assertThat(whereTheyDiffer(AsyncApiDocument.read(AsyncApiDocument.COMMITTED), built, ""))
                .as(AsyncApiDocument.COMMITTED + " is out of date; regenerate it: " + Regeneration.COMMAND).isEmpty();
    }

    @Test
    void the_committed_envelope_is_a_draft_07_json_schema() {
        assertThat(SchemaValidator.schemaErrors(AsyncApiDocument.read(AsyncApiDocument.ENVELOPE))).isEmpty();
    }

    @Test
    void every_committed_schema_is_a_draft_07_json_schema() {
        for (EventContract contract : SchemaCatalogue.read(SchemaCatalogue.COMMITTED).contracts()) {
            assertThat(SchemaValidator.schemaErrors(contract.schema())).as(contract.title()).isEmpty();
            assertThat(contract.schema().path("title").asText()).as("the title of " + contract.title()).isEqualTo(contract.title());
        }
    }

    /** The JSON pointers at which two documents differ, each with the committed and the built value. */
    private static List<String> whereTheyDiffer(JsonNode committed, JsonNode built, String pointer) {
        if (committed.isObject() && built.isObject()) {
            Set<String> names = new TreeSet<>();
            committed.fieldNames().forEachRemaining(names::add);
            built.fieldNames().forEachRemaining(names::add);
            List<String> differences = new ArrayList<>();
            for (String name : names) {
                differences.addAll(whereTheyDiffer(committed.path(name), built.path(name), pointer + "/" + name));
            }
            return differences;
        }
        return committed.equals(built) ? List.of() : List.of(pointer + ": committed " + committed + ", built " + built);
    }
}
