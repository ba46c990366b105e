package dev.factline.functions.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.functions.testing.ConfiguredByEnvironment;
import dev.factline.functions.testing.StreamTap;
import dev.factline.order.OrderState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own configured only by its environment
 * (the event table's name, a region, credentials and the SDK's own endpoint variable).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaFunctionEnvironmentIT {

    @Test
    void a_saga_configured_only_by_its_environment_debits_the_account_named_by_a_placed_order() throws Exception {
        try (PaymentWorld world = new PaymentWorld()) {
            world.open("a-1");
            world.deposit("a-1", 5_000);
            world.place("o-1", "a-1", 1_250);
            DynamodbEvent batch = world.tap.drainAll();

            String output = ConfiguredByEnvironment.run(SagaFunction.class, DynamodbEvent.class, Map.of(
                            "EVENT_TABLE", world.eventTable.name(),
                            // Named as deployed; accounts and orders, which its reactions command, write nothing inline.
                            "READ_TABLE", "views-never-written",
                            "AWS_ENDPOINT_URL_DYNAMODB", PaymentWorld.DYNAMO.endpoint().toString(),
                            "SNAPSHOT_INTERVAL", "2"),
                    List.of(StreamTap.toJson(batch)));

            assertThat(output).contains("FAILURES=0").contains("\"SagaCommandsIssued\":1");
            assertThat(world.debitsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.orderState("o-1")).isInstanceOf(OrderState.Placed.class);
        }
    }
}
