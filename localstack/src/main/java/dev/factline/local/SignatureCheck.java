package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.local.HttpFront.Request;
import dev.factline.local.HttpFront.Response;
import java.net.URLDecoder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * What API Gateway does for a route with IAM auth before it invokes anything, for the local front's
 * {@code --auth iam}: a request must carry a SigV4 {@code Authorization} header by the one access
 * key this pipeline made at start-up, scoped to its region and {@code execute-api}, dated within
 * five minutes of now, and its signature must be the one SigV4's documented algorithm computes
 * from the request as it came (method, path, query, the header fields it names as signed, body)
 * with this pipeline's secret. Hand-written rather than a re-signing by the SDK's signer: that
 * signer always adds and signs {@code x-amz-content-sha256}, so it cannot reproduce a signature
 * over another set of fields, such as curl's {@code content-type;host;x-amz-date}
 * (docs/decisions/signed-requests.md). Each refusal is 403 with API Gateway's message and its
 * {@code x-amzn-ErrorType}, and nothing reaches a function.
 */
final class SignatureCheck {

    static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalCredentials credentials;
    private final String region;
    private final Clock clock;

    SignatureCheck(LocalCredentials credentials, String region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    /** Why API Gateway would refuse {@code request}, as its answer; empty when the signature holds. */
    Optional<Response> refusal(Request request) {
        @Nullable String authorization = request.header("Authorization");
        if (authorization == null) {
            return refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Map<String, String> parameters = parameters(authorization);
        List<String> missing = new ArrayList<>();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parameters.containsKey(name)) {
                missing.add("Authorization header requires '" + name + "' parameter.");
            }
        }
        @Nullable String date = request.header("X-Amz-Date");
        if (date == null) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            missing.addFirst("The Authorization header must use " + ALGORITHM + ".");
        }
        if (!missing.isEmpty()) {
            return refuse("IncompleteSignatureException", String.join(" ", missing) + " Authorization=" + authorization);
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(date));
        } catch (DateTimeParseException e) {
            return refuse("IncompleteSignatureException", "X-Amz-Date must be of the form yyyyMMdd'T'HHmmss'Z', not '" + date + "'.");
        }
        String[] scope = parameters.get("Credential").split("/", -1);
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return refuse("IncompleteSignatureException", "Credential must be of the form <key>/<date>/<region>/<service>/aws4_request, not '"
                    + parameters.get("Credential") + "'.");
        }
        if (!scope[0].equals(credentials.accessKeyId())) {
            return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!scope[1].equals(date.substring(0, 8))) {
            return refuse("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope[1] + "' != '" + date.substring(0, 8) + "', from '" + date + "'.");
        }
        if (!scope[2].equals(region)) {
            return refuse("InvalidSignatureException", "Credential should be scoped to a valid region, not '" + scope[2] + "'. ");
        }
        if (!scope[3].equals(ApiSigner.SERVICE)) {
            return refuse("InvalidSignatureException", "Credential should be scoped to correct service: '" + ApiSigner.SERVICE + "'. ");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(ALLOWED_SKEW))) {
            return refuse("InvalidSignatureException", "Signature expired: " + date + " is now earlier than " + AMZ_DATE.format(now.minus(ALLOWED_SKEW))
                    + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(ALLOWED_SKEW))) {
            return refuse("InvalidSignatureException", "Signature not yet current: " + date + " is still later than " + AMZ_DATE.format(now.plus(ALLOWED_SKEW))
                    + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        Set<String> signedHeaders = Set.of(parameters.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
        if (request.header("Host") == null || !signedHeaders.contains("host")) {
            return refuse("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!signatureMatches(request, signedHeaders, date, scope, parameters.get("Signature"))) {
            return refuse("InvalidSignatureException", "The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return Optional.empty();
    }

    /** Whether {@code signature} is the one the documented algorithm computes for the request as it came, with our secret. */
    private boolean signatureMatches(Request request, Set<String> signedHeaders, String date, String[] scope, String signature) {
        String computed = signature(request.method(), request.rawPath(), request.rawQuery(), request.headers(), signedHeaders, request.body(),
                date, scope[1], scope[2], scope[3], credentials.secretAccessKey());
        return MessageDigest.isEqual(computed.getBytes(UTF_8), signature.getBytes(UTF_8));
    }

    /**
     * SigV4 as AWS documents it ("Create a signed AWS API request"): the canonical request (method;
     * the path as sent, each byte outside the unreserved set encoded once more, as for every service
     * but S3; the query's parameters decoded, encoded strictly and sorted; the signed header fields,
     * lower-case, their values trimmed with inner runs of spaces made one, repeats joined by commas;
     * their names; the body's SHA-256), the string to sign over its hash, and the HMAC chain of the
     * secret over date, region, service and {@code aws4_request}. Lower-case hex.
     */
    static String signature(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers, Set<String> signedHeaders,
            byte[] body, String amzDate, String day, String region, String service, String secret) {
        List<String> names = signedHeaders.stream().sorted().toList();
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : names) {
            List<String> values = headers.stream().filter(field -> field.getKey().equalsIgnoreCase(name))
                    .map(field -> field.getValue().strip().replaceAll(" +", " ")).toList();
            canonicalHeaders.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        String canonicalRequest = String.join("\n", method, encode(rawPath, true), canonicalQuery(rawQuery), canonicalHeaders.toString(),
                String.join(";", names), hex(sha256(body)));
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", ALGORITHM, amzDate, scope, hex(sha256(canonicalRequest.getBytes(UTF_8))));
        byte[] key = ("AWS4" + secret).getBytes(UTF_8);
        for (String part : List.of(day, region, service, "aws4_request")) {
            key = hmac(key, part);
        }
        return hex(hmac(key, stringToSign));
    }

    /** The query's parameters decoded, then encoded as SigV4 wants, sorted by name and then value; a name alone has an empty value. */
    private static String canonicalQuery(String rawQuery) {
        List<String> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
            pairs.add(encode(name, false) + "=" + encode(value, false));
        }
        return String.join("&", pairs.stream().sorted().toList());
    }

    /** RFC 3986 percent-encoding of every byte but the unreserved ones (and {@code /} in a path), hex in upper case. */
    private static String encode(String text, boolean path) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0 || path && c == '/') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code Credential=..., SignedHeaders=..., Signature=...} after the algorithm, by name; a malformed one has fewer entries. */
    private static Map<String, String> parameters(String authorization) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int space = authorization.indexOf(' ');
        for (String part : authorization.substring(space + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parameters.putIfAbsent(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        String signature = parameters.get("Signature");
        if (signature != null && !signature.matches("[0-9a-f]{64}")) {
            parameters.remove("Signature");
        }
        return parameters;
    }

    private static Optional<Response> refuse(String errorType, String message) {
        byte[] body = JSON.createObjectNode().put("message", message).toString().getBytes(UTF_8);
        return Optional.of(new Response(403, Map.of("content-type", "application/json", "x-amzn-ErrorType", errorType), List.of(), body));
    }
}
