/**
 * The order sample domain: an order is placed by a customer, paid from an account, shipped or
 * cancelled. {@link dev.factline.order.OrderDecider} is the state machine that refuses illegal
 * moves; {@link dev.factline.order.Orders} wires it into the kernel.
 */
@NullMarked
package dev.factline.order;

import org.jspecify.annotations.NullMarked;
