package dev.factline.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema of an event record's stored shape, as {@code Json.strictMapper()} writes and
 * reads it: every component is required (the mapper fails on a missing creator property), none
 * other is allowed (it fails on unknown ones), {@code null} only where the component is
 * {@code @Nullable}, a {@link Currency} as its ISO 4217 code. Draft 07, the dialect AsyncAPI 3.0
 * documents embed as they are; every schema is inlined, so a file stands alone.
 */
final class EventSchemas {

    private static final SchemaGenerator GENERATOR = generator();

    private EventSchemas() {
    }

    static ObjectNode of(String type, int version, Class<?> eventClass) {
        ObjectNode generated = GENERATOR.generateSchema(eventClass);
        ObjectNode schema = generated.objectNode();
        schema.set("$schema", generated.get("$schema"));
        schema.put("title", EventContract.title(type, version));
        generated.remove("$schema");
        schema.setAll(generated);
        return schema;
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.INLINE_ALL_SCHEMAS)
                .without(Option.NULLABLE_FIELDS_BY_DEFAULT);
        config.forFields()
                .withRequiredCheck(component -> true)
                .withNullableCheck(component -> component.getRawMember().getAnnotatedType().isAnnotationPresent(Nullable.class));
        config.forTypesInGeneral().withCustomDefinitionProvider((javaType, context) -> javaType.getErasedType() == Currency.class
                ? new CustomDefinition(context.getGeneratorConfig().createObjectNode().put("type", "string").put("pattern", "^[A-Z]{3}$"))
                : null);
        return new SchemaGenerator(config.build());
    }
}
