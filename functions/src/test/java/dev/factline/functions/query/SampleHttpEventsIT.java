package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.testing.SampleEvents;
import dev.factline.functions.view.ViewCache;
import java.io.IOException;
import java.time.InstantSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API samples of {@code samples/events}, deserialized by the Lambda runtime's serializer:
 * the POST handled by the command function, then the GET (with {@code minVersion=1}, so no
 * projector is needed) by the query function, both on dynalite.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SampleHttpEventsIT {

    @Test
    void the_post_sample_opens_the_account_that_the_get_sample_then_reads() throws IOException {
        QueryFixture side = QueryFixture.create("samples");
        CommandFunction commands = new CommandFunction(side.store, InstantSource.system(), IdGenerator.random(), WritePolicy.defaults());

        APIGatewayV2HTTPResponse opened = commands.handleRequest(SampleEvents.http(SampleEvents.HTTP_POST_ACCOUNTS), null);
        APIGatewayV2HTTPResponse read = side.container(ViewCache.none(), InstantSource.system())
                .handleRequest(SampleEvents.http(SampleEvents.HTTP_GET_ACCOUNT), null);

        assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);
        assertThat(opened.getHeaders()).containsEntry("ETag", "\"1\"");
        assertThat(read.getStatusCode()).as(read.getBody()).isEqualTo(200);
        JsonNode view = new ObjectMapper().readTree(read.getBody());
        assertThat(view.path("ownerId").asText()).isEqualTo("alice");
        assertThat(view.path("version").asLong()).isEqualTo(1);
    }
}
