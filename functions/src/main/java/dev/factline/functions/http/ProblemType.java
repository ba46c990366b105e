package dev.factline.functions.http;

/**
 * The stable problem types this API answers with, besides the rules of the domains
 * ({@link Problem#ruleViolated}). A type's URI never changes once published: clients branch on it.
 */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", 400, "The request is invalid"),
    NOT_FOUND("not-found", 404, "Not found"),
    /** The stream exists, but not at the version (or the time) a read asked for. */
    VERSION_NOT_FOUND("version-not-found", 404, "The stream has no such version"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    VERSION_CONFLICT("version-conflict", 409, "The stream kept changing"),
    /** A value that must be unique (a product's SKU) is held by another stream; the problem's code names which value, {@code <name>-taken}. */
    UNIQUE_VALUE_TAKEN("unique-value-taken", 409, "The value is taken"),
    PRECONDITION_FAILED("precondition-failed", 412, "The stream is not at the version named in If-Match"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "The idempotency key was used for another request"),
    INTERNAL_ERROR("internal-error", 500, "Internal error"),
    /** A sealed personal field failed its integrity check: the detail names the event (or view) and field; never wrong data. */
    PERSONAL_DATA_TAMPERED("personal-data-tampered", 500, "Personal data failed its integrity check"),
    /** The master key (KMS, the local key file) or the stored data keys could not be used; nothing was written. */
    KEYS_UNAVAILABLE("keys-unavailable", 503, "The keys of personal data are unavailable"),
    /** A claim-checked payload's blob is missing or fails its digest: the detail names the event; never wrong data. */
    PAYLOAD_TAMPERED("payload-tampered", 500, "A payload failed its claim check"),
    /** The store of claim-checked payloads (S3) could not be used; nothing was written. */
    PAYLOADS_UNAVAILABLE("payloads-unavailable", 503, "The store of large payloads is unavailable"),
    STORE_UNAVAILABLE("store-unavailable", 503, "The event store is unavailable"),
    /** The read table (the views a query serves) could not be reached. */
    VIEWS_UNAVAILABLE("views-unavailable", 503, "The views are unavailable");

    /** Every problem type URI starts with this; a domain rule's adds {@code rules/<code>}. */
    public static final String BASE_URI = "https://factline.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public String uri() {
        return BASE_URI + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
