package dev.factline.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The AsyncAPI 3.0 document of the published-events Kinesis stream, built from the committed
 * catalogue and envelope: one channel, one message per event type and schema version (the
 * envelope with that type, version and payload schema), and the operation consumers receive by.
 * Derived whole, so the committed file is rewritten on regeneration and must equal what this builds.
 */
final class AsyncApiDocument {

    static final Path COMMITTED = SchemaCatalogue.COMMITTED.resolve("asyncapi.json");
    static final Path ENVELOPE = SchemaCatalogue.COMMITTED.resolve("envelope.json");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "publishedEvents";

    private AsyncApiDocument() {
    }

    static ObjectNode of(SchemaCatalogue catalogue, JsonNode envelope) {
        ObjectNode document = JSON.createObjectNode();
        document.put("asyncapi", "3.0.0");
        document.putObject("info")
                .put("title", "Factline published events")
                .put("version", "1")
                .put("description", "Every event committed to the event store, forwarded by the publisher function to one Kinesis data stream,"
                        + " one record per event. Partition key = the event's streamId, so a stream's events share a shard and arrive"
                        + " in version order (1, 2, 3, ...). Delivery is at least once: apply an event only if its version is above the"
                        + " last one applied for its streamId. Payloads are published as stored: each follows the schema of its type"
                        + " and schemaVersion. Compatibility: a published schema version never changes; a new version of a type is FORWARD"
                        + " compatible with the one before (a consumer of version n that ignores unknown members reads version n + 1).");
        ObjectNode channel = document.putObject("channels").putObject(CHANNEL);
        channel.put("address", "{prefix}-published-events");
        channel.put("description", "The Kinesis data stream of published events; partition key = streamId (<type>#<id>), ordered per stream.");
        channel.putObject("parameters").putObject("prefix").put("description", "The deployment's resource name prefix, e.g. factline-local.");
        ObjectNode channelMessages = channel.putObject("messages");
        ObjectNode operation = document.putObject("operations").putObject("receivePublishedEvents");
        operation.put("action", "receive");
        operation.putObject("channel").put("$ref", "#/channels/" + CHANNEL);
        ArrayNode operationMessages = operation.putArray("messages");
        ObjectNode components = document.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode messages = components.putObject("messages");
        schemas.set("Envelope", withoutDialect(envelope));
        for (EventContract contract : catalogue.contracts()) {
            String name = contract.type() + ".v" + contract.version();
            schemas.set(name, withoutDialect(contract.schema()));
            ObjectNode message = messages.putObject(name);
            message.put("name", contract.type());
            message.put("title", contract.title());
            message.put("contentType", "application/json");
            ObjectNode payload = message.putObject("payload");
            payload.putArray("allOf").addObject().put("$ref", "#/components/schemas/Envelope");
            ObjectNode specific = payload.withArray("allOf").addObject();
            ObjectNode properties = specific.putObject("properties");
            properties.putObject("type").put("const", contract.type());
            properties.putObject("schemaVersion").put("const", contract.version());
            properties.putObject("payload").put("$ref", "#/components/schemas/" + name);
            channelMessages.putObject(name).put("$ref", "#/components/messages/" + name);
            operationMessages.addObject().put("$ref", "#/channels/" + CHANNEL + "/messages/" + name);
        }
        return document;
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** AsyncAPI embeds JSON Schema draft 07 as its default schema format; the embedded copy needs no {@code $schema}. */
    private static ObjectNode withoutDialect(JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        copy.remove("$schema");
        return copy;
    }
}
