/**
 * The account sample domain: a customer's wallet in one currency whose balance never goes
 * negative. Customers deposit and withdraw; the order-payment saga debits it for orders and
 * refunds cancelled ones, and a debit the wallet cannot pay is recorded as a declined debit
 * (a fact the saga reacts to), not refused.
 *
 * <p>{@link dev.factline.account.Accounts#TYPE} is what the kernel needs to host it.
 */
@NullMarked
package dev.factline.account;

import org.jspecify.annotations.NullMarked;
