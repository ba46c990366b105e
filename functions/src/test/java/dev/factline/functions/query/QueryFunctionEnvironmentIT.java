package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.ConfiguredByEnvironment;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalRedis;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the tables' names, the Redis URL, a region, credentials, and the SDK's own
 * endpoint variable, which is how the local pipeline points the function at an emulator).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryFunctionEnvironmentIT {

    @Test
    void a_function_configured_only_by_its_environment_reads_the_tables_and_the_redis_it_names() throws Exception {
        QueryFixture side = QueryFixture.create("env");
        String accountId = "a-" + UUID.randomUUID();
        side.openAccount(accountId);
        side.project(StreamId.of("account", accountId));
        side.deposit(accountId, 300);
        List<String> events = Stream.of("/accounts/" + accountId, "/accounts/" + accountId + "?minVersion=2", "/accounts/a-1?minVersion=0")
                .map(target -> QueryEvents.get(target).toJson())
                .toList();

        String output = ConfiguredByEnvironment.run(QueryFunction.class, APIGatewayV2HTTPEvent.class, Map.of(
                        "READ_TABLE", side.readTable.name(),
                        "EVENT_TABLE", side.eventTable.name(),
                        "REDIS_URL", LocalRedis.shared().uri().toString(),
                        "AWS_ENDPOINT_URL_DYNAMODB", LocalDynamo.shared().endpoint().toString()),
                events);

        assertThat(output).contains("STATUS=200\nETAG=\"1\"", "STATUS=200\nETAG=\"2\"", "STATUS=400");
        assertThat(LocalRedis.shared().admin().hget("factline:view:" + AccountView.MODEL.rowKey(Accounts.TYPE.streamId(accountId)), "version")).isEqualTo("2");
    }
}
