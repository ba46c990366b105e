package dev.factline.emulators;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An interceptor for a DynamoDB Streams client that keeps the body of the last GetRecords
 * response as it came over the wire, and passes it on unchanged: Lambda hands a function that
 * JSON, not the SDK's objects, so a test that delivers stream records as Lambda does starts from
 * it. Add it with {@code overrideConfiguration(c -> c.addExecutionInterceptor(bodies))}.
 */
public final class RawGetRecordsBodies implements ExecutionInterceptor {

    private @Nullable String last;

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        if (body.isEmpty() || !"GetRecords".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            return body;
        }
        try (InputStream in = body.get()) {
            byte[] bytes = in.readAllBytes();
            synchronized (this) {
                last = new String(bytes, UTF_8);
            }
            return Optional.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last GetRecords response's body; fails when there has been none. */
    public synchronized String last() {
        if (last == null) {
            throw new IllegalStateException("no GetRecords response yet");
        }
        return last;
    }
}
