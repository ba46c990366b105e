package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.factline.catalogue.ProductView;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.ConfiguredByEnvironment;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.ReadTable;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the table's name, a region, credentials, and the SDK's own endpoint variable,
 * which is how the local pipeline points the function at an emulator).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionEnvironmentIT {

    @Test
    void a_function_configured_only_by_its_environment_writes_to_the_tables_it_names() throws Exception {
        EventTable table = new EventTable("env-" + UUID.randomUUID());
        ReadTable views = new ReadTable("env-views-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);
        LocalDynamo.shared().createTable(views.createTableRequest());

        String output = ConfiguredByEnvironment.run(CommandFunction.class, APIGatewayV2HTTPEvent.class, Map.of(
                        "EVENT_TABLE", table.name(),
                        "READ_TABLE", views.name(),
                        "AWS_ENDPOINT_URL_DYNAMODB", LocalDynamo.shared().endpoint().toString()),
                List.of(HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-env\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}").toJson(),
                        HttpApiEvents.post("/products").json("{\"productId\":\"p-env\",\"sku\":\"ENV-1\",\"name\":\"Kettle\",\"stock\":3}")
                                .toJson()));

        assertThat(output.split("STATUS=201", -1)).as(output).hasSize(3);
        DynamoDbEventStore store = new DynamoDbEventStore(LocalDynamo.shared().client(), table, views, StoreLimits.defaults(), Clock.systemUTC());
        assertThat(store.load(StreamId.of("account", "a-env"))).extracting(RecordedEvent::type).containsExactly("AccountOpened");
        assertThat(store.inlineView(ProductView.MODEL, Products.TYPE.streamId("p-env")))
                .as("the product's view, written inline into the read table it names")
                .hasValueSatisfying(view -> assertThat(view.onHand()).isEqualTo(3));
    }
}
