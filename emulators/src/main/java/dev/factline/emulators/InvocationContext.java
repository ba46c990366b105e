package dev.factline.emulators;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Context} Lambda hands a function, for invocations outside Lambda (the local pipeline,
 * tests): the function's name, memory and request id, and the time left, which is what the
 * functions read from it.
 */
public final class InvocationContext implements Context {

    private static final LambdaLogger STANDARD_OUTPUT = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.print(message);
        }

        @Override
        public void log(byte[] message) {
            System.out.print(new String(message, StandardCharsets.UTF_8));
        }
    };

    private final String functionName;
    private final int memoryMegabytes;
    private final String requestId;
    private final IntSupplier remainingMillis;

    private InvocationContext(String functionName, int memoryMegabytes, String requestId, IntSupplier remainingMillis) {
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.memoryMegabytes = memoryMegabytes;
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.remainingMillis = remainingMillis;
    }

    /** An invocation that started now and may run for {@code timeout}, as Lambda counts it down. */
    public static InvocationContext startingNow(String functionName, int memoryMegabytes, String requestId, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        return new InvocationContext(functionName, memoryMegabytes, requestId,
                () -> (int) Math.max(0, deadline - System.currentTimeMillis()));
    }

    /** An invocation with a fixed time left, for tests of what a function does near its limit. */
    public static InvocationContext withTimeLeft(String functionName, int memoryMegabytes, Duration remaining) {
        int millis = Math.toIntExact(remaining.toMillis());
        return new InvocationContext(functionName, memoryMegabytes, "request-1", () -> millis);
    }

    /** An invocation whose time left is whatever {@code remainingMillis} answers each time it is asked, for tests that steer it. */
    public static InvocationContext withTimeLeft(String functionName, int memoryMegabytes, IntSupplier remainingMillis) {
        return new InvocationContext(functionName, memoryMegabytes, "request-1", remainingMillis);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    @Override
    public @Nullable CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public @Nullable ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMegabytes;
    }

    @Override
    public LambdaLogger getLogger() {
        return STANDARD_OUTPUT;
    }
}
