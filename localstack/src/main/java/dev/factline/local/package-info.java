/**
 * The embedded local pipeline: the four functions on local clients, dynalite, kinesalite and a
 * real Redis, an HTTP front that speaks API Gateway's payload format 2.0, and stream triggers
 * that behave like Lambda's event source mappings, all configured from the topology.
 */
@NullMarked
package dev.factline.local;

import org.jspecify.annotations.NullMarked;
