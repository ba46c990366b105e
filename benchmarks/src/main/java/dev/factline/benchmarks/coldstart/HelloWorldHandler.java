package dev.factline.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import org.jspecify.annotations.Nullable;

/** The baseline: a handler that answers a constant, so its cold start is the JVM's and the runtime's alone. */
public final class HelloWorldHandler implements RequestHandler<APIGatewayV2HTTPEvent, String> {

    static final String ANSWER = "hello";

    @Override
    public String handleRequest(APIGatewayV2HTTPEvent event, @Nullable Context context) {
        return ANSWER;
    }
}
