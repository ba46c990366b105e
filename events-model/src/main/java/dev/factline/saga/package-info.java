/**
 * The order payment saga: which command follows which event between orders and accounts
 * ({@link dev.factline.saga.OrderPaymentSaga}, pure), and the runner that issues those commands
 * through the kernel's command handlers with idempotency keys derived from the triggering event
 * ({@link dev.factline.saga.OrderPaymentSagaRunner}).
 */
@NullMarked
package dev.factline.saga;

import org.jspecify.annotations.NullMarked;
