/**
 * The catalogue domain, the third sample, built only through the extension points: a product
 * with a SKU and stock, and reservations of that stock (by an order, a basket). A reservation
 * never exceeds the stock not yet reserved ({@link dev.factline.catalogue.ProductDecider}); that
 * a SKU names one product across all of them is not a rule one stream can keep, so the functions
 * keep it with an inline read model written in the commit's own transaction.
 */
@NullMarked
package dev.factline.catalogue;

import org.jspecify.annotations.NullMarked;
