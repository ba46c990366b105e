/**
 * Test fixtures that start real local servers. {@link dev.factline.functions.testing.LocalDynamo}
 * runs dynalite, an open-source DynamoDB-compatible server, as a Node child process and hands
 * out an AWS SDK client connected to it over real HTTP.
 */
@NullMarked
package dev.factline.functions.testing;

import org.jspecify.annotations.NullMarked;
