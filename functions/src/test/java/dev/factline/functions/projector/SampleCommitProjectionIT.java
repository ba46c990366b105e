package dev.factline.functions.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.testing.SampleEvents;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewRow;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The projector handed {@code samples/events/dynamodb-streams-commit.json}, on dynalite and a real Redis. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SampleCommitProjectionIT {

    private final ReadSide side = new ReadSide();
    private final RedisViewCache cache = new RedisViewCache(
            RedisViewCache.client(LocalRedis.shared().uri(), Duration.ofMillis(500), Duration.ofMillis(500)), Duration.ofMinutes(5));

    @AfterEach
    void close() {
        side.close();
        cache.close();
    }

    @Test
    void the_streams_sample_projects_the_opened_account_into_the_read_table_and_redis() throws IOException {
        ProjectorFunction projector = side.projector(ReadSide.DYNAMO.client(), cache, figures -> { });

        assertThat(projector.handleRequest(SampleEvents.dynamodb(SampleEvents.DYNAMODB_COMMIT), null).getBatchItemFailures()).isEmpty();

        ViewRow row = side.row(StreamId.of("account", "a-sample"));
        assertThat(row).isNotNull();
        assertThat(row.version()).isEqualTo(1);
        JsonNode view = new ObjectMapper().readTree(row.json());
        assertThat(view.path("ownerId").asText()).isEqualTo("alice");
        assertThat(view.path("balance").path("minorUnits").asLong()).isZero();
        assertThat(view.path("balance").path("currency").asText()).isEqualTo("EUR");
        assertThat(cache.get(row.key())).hasValueSatisfying(cached -> assertThat(cached.row().json()).isEqualTo(row.json()));
    }
}
