/** The account domain's declaration: its aggregate, command routes and read models as the functions host them. */
@NullMarked
package dev.factline.functions.domains.accounts;

import org.jspecify.annotations.NullMarked;
