/**
 * The saga function: the order payment saga as a trigger on the event table's stream, issuing
 * the saga's commands through the kernel's command handlers on the DynamoDB event store.
 */
@NullMarked
package dev.factline.functions.saga;

import org.jspecify.annotations.NullMarked;
