/** The order domain's declaration: its aggregate, command routes, read models and the payment saga's reaction. */
@NullMarked
package dev.factline.functions.domains.orders;

import org.jspecify.annotations.NullMarked;
