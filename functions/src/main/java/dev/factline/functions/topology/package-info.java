/**
 * The pipeline's shape, declared once for the CDK stack and the local pipeline: tables, streams,
 * functions, routes, stream triggers and who may do what.
 */
@NullMarked
package dev.factline.functions.topology;

import org.jspecify.annotations.NullMarked;
