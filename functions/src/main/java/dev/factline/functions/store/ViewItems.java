package dev.factline.functions.store;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;
import static dev.factline.functions.view.ReadTable.VIEW;

import dev.factline.functions.view.ViewRow;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * View rows as read-table items, with claim checks for large views (docs/decisions/claim-checks.md):
 * a view whose JSON is over {@value #THRESHOLD_BYTES} bytes is put into the payload bucket under
 * {@code views/sha256/<digest>} before its row is written, and the row's {@code view} attribute holds
 * its claim (a map) in place of the text (a string). Every writer of view rows (the projector, inline
 * views in a command's transaction, rebuilds) and every reader (queries, listings, rebuild diffs,
 * the projector's own reads) goes through here, so none meets a claim instead of a view.
 *
 * <p>The threshold leaves a row's keys, version and listing attributes room under DynamoDB's 400 KB
 * item; a view up to {@link ClaimChecks#LARGEST_MAX_PAYLOAD_BYTES} fits a Lambda answer whole. The
 * claim sits in the same attribute the listings index projects, so claimed views list like any.
 */
public final class ViewItems {

    /** Views larger than this live in the bucket: 300 KiB, under the 400 KB item with room for the row's other attributes. */
    public static final long THRESHOLD_BYTES = 300L * 1024;

    private static final ViewItems INLINE = new ViewItems(ClaimChecks.none());

    private final ClaimChecks claims;

    private ViewItems(ClaimChecks claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /** Every view inline in its row: without a payload bucket, a view over 400 KB is refused by DynamoDB. */
    public static ViewItems inline() {
        return INLINE;
    }

    /** Views over the threshold in the blob store of {@code payloads}; {@link #inline()} if that has none. */
    public static ViewItems claimedWith(ClaimChecks payloads) {
        ClaimChecks views = payloads.under(PayloadClaim.VIEWS, THRESHOLD_BYTES);
        return views == ClaimChecks.none() ? INLINE : new ViewItems(views);
    }

    /**
     * {@code row} as the item to write; a large view is put into the blob store first.
     *
     * @throws PayloadStoreUnavailableException if the blob store cannot be used
     */
    public Map<String, AttributeValue> item(ViewRow row) {
        Map<String, AttributeValue> item = row.item();
        if (claims.offloads(row.json())) {
            item.put(VIEW, claims.offload(row.json()).attribute());
        }
        return item;
    }

    /** About the bytes DynamoDB counts for {@code row}'s item as {@link #item} writes it. */
    public long itemBytes(ViewRow row) {
        return claims.offloads(row.json())
                ? row.approximateSize() - row.json().getBytes(StandardCharsets.UTF_8).length + ClaimChecks.CLAIM_BYTES
                : row.approximateSize();
    }

    /**
     * The row {@code item} holds, its view fetched and checked if the row holds a claim.
     *
     * @throws PayloadTamperedException if the claimed blob is missing or is not the view
     * @throws PayloadStoreUnavailableException if the blob store cannot be used
     * @throws IllegalStateException if the item is no view row
     */
    public ViewRow row(Map<String, AttributeValue> item) {
        AttributeValue view = item.get(VIEW);
        if (view == null || !view.hasM()) {
            return ViewRow.fromItem(item);
        }
        AttributeValue key = item.get(PARTITION_KEY);
        String what = "the view at " + (key == null ? "?" : key.s());
        Map<String, AttributeValue> resolved = new HashMap<>(item);
        resolved.put(VIEW, AttributeValue.fromS(claims.resolve(PayloadClaim.fromAttribute(view, what), what)));
        return ViewRow.fromItem(resolved);
    }
}
