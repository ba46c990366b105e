package dev.factline.replay;

import dev.factline.emulators.RawGetRecordsBodies;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code factline-replay redrive}: delivers the stream records the triggers gave up on to their
 * functions again, once a fix is deployed: on the local pipeline (its parked list), or on AWS from a
 * trigger's on-failure queue (the records read back from the stream, the function invoked, the
 * message deleted once they are all taken).
 */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Deliver parked stream records to their functions again: the local pipeline's, or an on-failure queue's on AWS.")
final class RedriveCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Where where;

    static final class Where {
        @Option(names = "--local", arity = "0..1", fallbackValue = "http://127.0.0.1:8080", paramLabel = "URL",
                description = "the local pipeline (default URL ${FALLBACK-VALUE})")
        @Nullable URI local;

        @Option(names = "--queue", paramLabel = "URL", description = "an on-failure SQS queue of a stream trigger (AWS)")
        @Nullable String queue;
    }

    @Option(names = "--function", paramLabel = "NAME", description = "the function to deliver to (default: the one each message names)")
    @Nullable String function;

    @Option(names = "--max-messages", defaultValue = "100", paramLabel = "N", description = "messages taken from the queue at most (default ${DEFAULT-VALUE})")
    int maxMessages;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (where.local != null) {
            return local(where.local, out);
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("--max-messages is 1 or more, not " + maxMessages);
        }
        RawGetRecordsBodies bodies = new RawGetRecordsBodies();
        try (SqsClient sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             LambdaClient lambda = LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                     .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(bodies)).build()) {
            List<AwsRedrive.Outcome> outcomes = new AwsRedrive(AwsRedrive.sqs(sqs, where.queue), new StreamRecords(streams, bodies),
                    AwsRedrive.lambda(lambda)).run(maxMessages, function);
            outcomes.forEach(outcome -> out.println((outcome.batch() == null ? "a message" : outcome.batch().shardId() + " "
                    + outcome.batch().startSequenceNumber() + ".." + outcome.batch().endSequenceNumber()) + ": " + outcome.detail()));
            long left = outcomes.stream().filter(outcome -> !outcome.applied()).count();
            out.println(outcomes.size() - left + " of " + outcomes.size() + " message(s) applied and deleted; " + left + " left in the queue");
            return left == 0 ? 0 : Replay.FAILED;
        }
    }

    private static int local(URI pipeline, PrintWriter out) throws InterruptedException {
        String report = LocalPipelineCalls.call(pipeline, "POST", "/_local/parked/redrive", Duration.ofMinutes(5));
        out.println(report);
        return report.contains("\"applied\":false") ? Replay.FAILED : 0;
    }
}
