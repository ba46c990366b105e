package dev.factline.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/** Validation with the networknt validator, draft 07 as the catalogue's schemas declare; errors as "location: message" lines. */
final class SchemaValidator {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Schema DRAFT_7 = REGISTRY.getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"));

    private SchemaValidator() {
    }

    /** Why {@code instance} does not follow {@code schema}; empty when it does. */
    static List<String> errors(JsonNode schema, JsonNode instance) {
        return describe(REGISTRY.getSchema(schema.toString()).validate(instance));
    }

    /** Why {@code schema} is not a draft 07 JSON Schema; empty when it is. */
    static List<String> schemaErrors(JsonNode schema) {
        return describe(DRAFT_7.validate(schema));
    }

    private static List<String> describe(List<Error> errors) {
        return errors.stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage()).toList();
    }
}
