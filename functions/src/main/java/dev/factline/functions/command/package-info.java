/**
 * The command function: the write side's HTTP edge. It routes a request to a command of an
 * aggregate of a hosted domain, reads and validates the body, hands the command to the kernel's
 * {@link dev.factline.eventsourcing.CommandHandler} and answers with the recorded events, or with
 * a problem. {@link dev.factline.functions.command.CommandFunction} is the Lambda handler. What a
 * domain declares its routes with is public ({@link dev.factline.functions.command.CommandRoute},
 * {@link dev.factline.functions.command.CommandInput}, {@link dev.factline.functions.command.StreamResources},
 * {@link dev.factline.functions.command.Fields}); the rest is package-private.
 */
@NullMarked
package dev.factline.functions.command;

import org.jspecify.annotations.NullMarked;
