/** The catalogue domain's declaration: products, their stock and reservations, built only through the extension points. */
@NullMarked
package dev.factline.functions.domains.catalogue;

import org.jspecify.annotations.NullMarked;
