/** The subjects of personal data as the functions host them. */
@NullMarked
package dev.factline.functions.domains.subjects;

import org.jspecify.annotations.NullMarked;
