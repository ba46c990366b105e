package dev.factline.local;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * SigV4 for requests to an HTTP API with IAM auth (service {@code execute-api}), by the AWS SDK's
 * own signer ({@link AwsV4HttpSigner}), so a client here signs exactly as an SDK client does: the
 * acceptance suite and {@code samples/load.sh}.
 */
public final class ApiSigner {

    /** The signing name of API Gateway's invoke endpoint. */
    public static final String SERVICE = "execute-api";
    /** {@code FACTLINE_API_AUTH=iam}: the API under test wants signed requests. */
    public static final String AUTH_VARIABLE = "FACTLINE_API_AUTH";

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final Clock clock;

    public ApiSigner(AwsCredentialsProvider credentials, String region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    /**
     * Credentials from the SDK's default chain (environment, system properties, profile, container,
     * instance), the region from its region chain ({@code AWS_REGION}, the profile, ...).
     */
    public static ApiSigner fromDefaultChains() {
        return new ApiSigner(DefaultCredentialsProvider.builder().build(), new DefaultAwsRegionProviderChain().getRegion().id(), Clock.systemUTC());
    }

    /** Whether {@code environment} asks for signed requests ({@code FACTLINE_API_AUTH=iam}); any other value but none is refused. */
    public static boolean wanted(Map<String, String> environment) {
        String value = environment.getOrDefault(AUTH_VARIABLE, "").strip();
        return switch (value) {
            case "", "none" -> false;
            case "iam" -> true;
            default -> throw new IllegalArgumentException(AUTH_VARIABLE + " must be iam or none, not \"" + value + "\"");
        };
    }

    public String region() {
        return region;
    }

    /**
     * The header fields that sign {@code method uri} with {@code headers} and {@code body}: those the
     * signer added ({@code Authorization}, {@code X-Amz-Date} and, for temporary credentials,
     * {@code X-Amz-Security-Token}), but {@code Host}, which the HTTP client writes from the same
     * URI. Add them to the request as it is sent; change nothing else.
     */
    public Map<String, String> signatureHeaders(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(header -> request.appendHeader(header.getKey(), header.getValue()));
        SdkHttpRequest signed = sign(request.build(), body, credentials.resolveCredentials(), region, clock).request();
        Set<String> given = headers.stream().map(header -> header.getKey().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return Map.copyOf(signed.headers().entrySet().stream()
                .filter(header -> !header.getKey().equalsIgnoreCase("host") && !given.contains(header.getKey().toLowerCase(Locale.ROOT)))
                .collect(Collectors.toMap(Map.Entry::getKey, header -> header.getValue().getFirst())));
    }

    /** {@code request} signed by the SDK for {@code execute-api} in {@code region} at {@code at}'s instant. */
    private static SignedRequest sign(SdkHttpRequest request, byte[] body,
            AwsCredentialsIdentity identity, String region, Clock at) {
        return SIGNER.sign(r -> r.identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, at));
    }
}
