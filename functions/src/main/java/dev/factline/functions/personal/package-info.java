/**
 * Subjects' data keys as the functions keep them: wrapped by a master key (KMS on AWS, a key file
 * locally) and stored as items of the event table, with an in-container cache of unwrapped keys
 * that never outlives the stored item. See docs/decisions/personal-data.md.
 */
@NullMarked
package dev.factline.functions.personal;

import org.jspecify.annotations.NullMarked;
