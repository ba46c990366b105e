/**
 * The publisher function: forwards every event committed to the event table, read from the
 * table's DynamoDB stream, to a Kinesis data stream as one JSON envelope per record, keeping each
 * event stream's version order. See {@link dev.factline.functions.publisher.PublisherFunction}
 * for the guarantee and {@link dev.factline.functions.publisher.EventEnvelopes} for the format.
 */
@NullMarked
package dev.factline.functions.publisher;

import org.jspecify.annotations.NullMarked;
