/**
 * The event explorer's page, served by a function of its own behind the API's authorizer: static
 * files from the class path, no data access at all.
 */
@NullMarked
package dev.factline.functions.explorer;

import org.jspecify.annotations.NullMarked;
