/** Money as the sample domains count it: whole minor units of one currency, never negative. */
@NullMarked
package dev.factline.money;

import org.jspecify.annotations.NullMarked;
