package dev.factline.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crac.Core;
import org.crac.Resource;

/**
 * The child JVM of one cold start, as Lambda's Java runtime runs a handler:
 * {@code handlerClass eventClass eventFile cold|primed [warmEventFile...]}. Builds the handler with
 * its no-arg constructor and says {@code ready}; when primed, runs its CRaC {@code beforeCheckpoint}
 * as SnapStart does before its snapshot (untimed); reads the event with the official Lambda
 * serializer; times the first {@code handleRequest}; then times one more invoke per warm event
 * file, in order, each read before its clock starts; prints the timings, the classes loaded after
 * the first invoke and during it, and the answer, and exits. A warm invoke answered otherwise than the first
 * fails the run.
 *
 * <p>It runs on the deployable jar plus this class's own small jar, so it uses nothing of the
 * benchmark harness: only the JDK, the Lambda interfaces and events, the serializer and org.crac.
 */
public final class ColdStartProbe {

    static final String PREFIX = "coldstart-probe ";
    static final String READY = PREFIX + "ready";
    static final String PRIMED = "primed";
    static final String WARM = PREFIX + "warm";

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> handlerType = Class.forName(args[0]);
        Class<?> eventType = Class.forName(args[1]);
        Object handler = handlerType.getConstructor().newInstance();
        System.out.println(READY);
        System.out.flush();

        long primingNanos = 0;
        if (args[3].equals(PRIMED) && handler instanceof Resource resource) {
            long start = System.nanoTime();
            resource.beforeCheckpoint(Core.getGlobalContext());
            primingNanos = System.nanoTime() - start;
        }
        PojoSerializer<?> serializer = LambdaEventSerializers.serializerFor(eventType, handlerType.getClassLoader());
        Object event = serializer.fromJson(Files.readString(Path.of(args[2]), StandardCharsets.UTF_8));

        int classesBefore = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        long start = System.nanoTime();
        Object answer = handle(handler, event);
        long invokeNanos = System.nanoTime() - start;

        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();

        StringBuilder warm = new StringBuilder(WARM);
        for (int i = 4; i < args.length; i++) {
            Object warmEvent = serializer.fromJson(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8));
            long warmStart = System.nanoTime();
            Object warmAnswer = handle(handler, warmEvent);
            warm.append(' ').append(System.nanoTime() - warmStart);
            if (!summary(warmAnswer).equals(summary(answer))) {
                throw new IllegalStateException("warm invoke " + (i - 3) + " answered " + summary(warmAnswer) + ", the first " + summary(answer));
            }
        }
        System.out.println(warm);
        System.out.println(PREFIX + "invoked " + invokeNanos + " " + primingNanos + " " + classes + " " + (classes - classesBefore) + " "
                + summary(answer));
        System.out.flush();
    }

    /** Lambda's runtime calls the handler through its interface, with the event's type erased as here. */
    @SuppressWarnings("unchecked")
    private static Object handle(Object handler, Object event) {
        return ((RequestHandler<Object, Object>) handler).handleRequest(event, null);
    }

    private static String summary(Object answer) {
        if (answer instanceof APIGatewayV2HTTPResponse http) {
            return "status=" + http.getStatusCode();
        }
        if (answer instanceof StreamsEventResponse batch) {
            return "failures=" + batch.getBatchItemFailures().size();
        }
        return "answer=" + answer;
    }
}
