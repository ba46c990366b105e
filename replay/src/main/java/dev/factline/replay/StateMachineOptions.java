package dev.factline.replay;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/**
 * Where a rebuild runs on AWS ({@code --aws}): the rebuild state machine the CDK app provisions
 * (its output {@code RebuildStateMachineArn}), reached the SDK's way (credentials, region,
 * {@code AWS_ENDPOINT_URL_SFN}) or at {@code --sfn-endpoint-url}.
 */
final class StateMachineOptions {

    @Option(names = "--aws", description = "on AWS: the rebuild state machine runs it (see --state-machine)")
    boolean aws;

    @Option(names = "--state-machine", paramLabel = "ARN", description = "the rebuild state machine (the service stack's output RebuildStateMachineArn)")
    @Nullable String arn;

    @Option(names = "--sfn-endpoint-url", paramLabel = "URL", description = "Step Functions' endpoint (default: the SDK's)")
    @Nullable URI endpoint;

    /** The state machine's ARN; {@code --aws} needs it. */
    String arn() {
        if (arn == null || arn.isBlank()) {
            throw new IllegalArgumentException("--aws needs --state-machine ARN (the service stack's output RebuildStateMachineArn)");
        }
        return arn;
    }

    SfnClient client() {
        SfnClientBuilder builder = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
