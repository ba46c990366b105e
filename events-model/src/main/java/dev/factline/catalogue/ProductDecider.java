package dev.factline.catalogue;

import dev.factline.catalogue.ProductCommand.AddStock;
import dev.factline.catalogue.ProductCommand.CreateProduct;
import dev.factline.catalogue.ProductCommand.DescribeProduct;
import dev.factline.catalogue.ProductCommand.ReleaseReservation;
import dev.factline.catalogue.ProductCommand.ReserveStock;
import dev.factline.catalogue.ProductEvent.ProductCreated;
import dev.factline.catalogue.ProductEvent.ProductDescribed;
import dev.factline.catalogue.ProductEvent.ReservationReleased;
import dev.factline.catalogue.ProductEvent.StockAdded;
import dev.factline.catalogue.ProductEvent.StockReserved;
import dev.factline.catalogue.ProductState.Listed;
import dev.factline.catalogue.ProductState.NotCreated;
import dev.factline.eventsourcing.Decider;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import java.util.List;
import java.util.Map;

/**
 * A product's stock: created once, restocked, reserved only up to what is not yet reserved, and
 * released by reservation id. {@link #evolve} applies only moves {@link #decide} can make; any
 * other history is a corrupt stream and fails loudly.
 */
public final class ProductDecider implements Decider<ProductCommand, ProductEvent, ProductState> {

    @Override
    public ProductState initialState() {
        return new NotCreated();
    }

    @Override
    public List<ProductEvent> decide(ProductCommand command, ProductState state, DecisionContext context) {
        String productId = context.streamId().id();
        ProductEvent decided = switch (command) {
            case CreateProduct create -> switch (state) {
                case NotCreated() -> new ProductCreated(create.sku(), create.name(), create.stock());
                case Listed listed -> throw new DomainRuleViolationException(ProductRule.PRODUCT_ALREADY_CREATED,
                        "product " + productId + " was already created, with SKU " + listed.sku());
            };
            case DescribeProduct describe -> {
                listed(state, productId);
                yield new ProductDescribed(describe.description());
            }
            case AddStock add -> {
                Listed listed = listed(state, productId);
                if (add.quantity() > ProductCommand.MAX_STOCK - listed.onHand()) {
                    throw new DomainRuleViolationException(ProductRule.STOCK_LIMIT_EXCEEDED, "product " + productId + " holds "
                            + listed.onHand() + " units; adding " + add.quantity() + " would pass the limit of " + ProductCommand.MAX_STOCK);
                }
                yield new StockAdded(add.quantity());
            }
            case ReserveStock reserve -> reserve(reserve, listed(state, productId), productId);
            case ReleaseReservation release -> {
                Integer held = listed(state, productId).reservations().get(release.reservationId());
                if (held == null) {
                    throw new DomainRuleViolationException(ProductRule.RESERVATION_NOT_FOUND,
                            "product " + productId + " holds no reservation " + release.reservationId());
                }
                yield new ReservationReleased(release.reservationId(), held);
            }
        };
        return List.of(decided);
    }

    private static StockReserved reserve(ReserveStock reserve, Listed listed, String productId) {
        if (listed.reservations().containsKey(reserve.reservationId())) {
            throw new DomainRuleViolationException(ProductRule.RESERVATION_ALREADY_HELD, "product " + productId + " already holds "
                    + listed.reservations().get(reserve.reservationId()) + " units for reservation " + reserve.reservationId());
        }
        if (reserve.quantity() > listed.available()) {
            throw new DomainRuleViolationException(ProductRule.INSUFFICIENT_STOCK, "product " + productId + " has " + listed.available()
                    + " units not yet reserved, fewer than the " + reserve.quantity() + " asked for");
        }
        return new StockReserved(reserve.reservationId(), reserve.quantity());
    }

    private static Listed listed(ProductState state, String productId) {
        return switch (state) {
            case Listed listed -> listed;
            case NotCreated() -> throw new DomainRuleViolationException(ProductRule.PRODUCT_NOT_FOUND, "there is no product " + productId);
        };
    }

    @Override
    public ProductState evolve(ProductState state, ProductEvent event) {
        return switch (event) {
            case ProductCreated created -> {
                if (state instanceof NotCreated) {
                    yield new Listed(created.sku(), created.name(), created.stock(), Map.of());
                }
                throw corrupt(state, event);
            }
            // The decider never reads a description: the state (and its snapshots) stays small.
            case ProductDescribed described -> existing(state, event);
            case StockAdded added -> {
                Listed listed = existing(state, event);
                yield listed.withOnHand(listed.onHand() + added.quantity());
            }
            case StockReserved reserved -> {
                Listed listed = existing(state, event);
                if (listed.reservations().containsKey(reserved.reservationId()) || reserved.quantity() > listed.available()) {
                    throw corrupt(state, event);
                }
                yield listed.withReservation(reserved.reservationId(), reserved.quantity());
            }
            case ReservationReleased released -> {
                Listed listed = existing(state, event);
                if (!Integer.valueOf(released.quantity()).equals(listed.reservations().get(released.reservationId()))) {
                    throw corrupt(state, event);
                }
                yield listed.withoutReservation(released.reservationId());
            }
        };
    }

    private static Listed existing(ProductState state, ProductEvent event) {
        if (state instanceof Listed listed) {
            return listed;
        }
        throw corrupt(state, event);
    }

    private static IllegalStateException corrupt(ProductState state, ProductEvent event) {
        return new IllegalStateException("a product in state " + state + " cannot follow with " + event + ": the stream is corrupt");
    }
}
