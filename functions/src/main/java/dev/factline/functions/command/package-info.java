/**
 * The command function: the write side's HTTP edge. It routes a request to a command of the
 * account or order aggregate, reads and validates the body, hands the command to the kernel's
 * {@link dev.factline.eventsourcing.CommandHandler} and answers with the recorded events, or with
 * a problem. {@link dev.factline.functions.command.CommandFunction} is the Lambda handler; the
 * rest is package-private.
 */
@NullMarked
package dev.factline.functions.command;

import org.jspecify.annotations.NullMarked;
