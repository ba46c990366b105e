package dev.factline.infra;

import dev.factline.functions.topology.Topology;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: reads the settings from context, declares the topology for their prefix, and
 * wires the two stacks. {@code cdk.json} runs {@link #main}; the tests call {@link #stacks}.
 */
public final class FactlineApp {

    /**
     * The CDK feature flag that says how the service stack refers to the data stack's tables and
     * stream: through strong references (exports), so CloudFormation refuses to delete or replace
     * a table the service still uses.
     */
    static final String CROSS_STACK_REFERENCES = "@aws-cdk/core:defaultCrossStackReferences";

    /** The app's stacks: the data the service reads and writes, then the service. */
    public record Stacks(DataStack data, ServiceStack service) {
    }

    private FactlineApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            stacks(app, Settings.fromContext(app.getNode()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("Factline's CDK app cannot synthesize: " + e.getMessage());
            System.exit(1);
        }
        // cdk-nag's AWS Solutions rules run on every synth: an unsuppressed finding is an error there too.
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }

    public static Stacks stacks(App app, Settings settings) {
        app.getNode().setContext(CROSS_STACK_REFERENCES, "strong");
        Topology topology = Topology.standard(settings.prefix());
        DataStack data = new DataStack(app, settings.stackName("Data"), new DataStack.Props(
                StackProps.builder().description("Factline " + settings.stage() + ": event and read tables, published events").build(),
                topology, settings));
        ServiceStack service = new ServiceStack(app, settings.stackName("Service"), new ServiceStack.Props(
                StackProps.builder().description("Factline " + settings.stage() + ": functions, HTTP API, stream triggers, cache, alarms").build(),
                topology, settings, data.eventTable(), data.readTable(), data.publishedEvents(), data.masterKey(),
                data.payloadBucket(), data.payloadKey()));
        return new Stacks(data, service);
    }
}
