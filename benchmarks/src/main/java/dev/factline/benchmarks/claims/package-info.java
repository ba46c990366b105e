/**
 * Claim checks measured: what a payload over the 64 KiB threshold costs in DynamoDB write and read
 * units, DynamoDB and S3 calls, inline against claimed, and the time a claim's resolution adds to
 * a read, on dynalite and s3rver.
 */
@NullMarked
package dev.factline.benchmarks.claims;

import org.jspecify.annotations.NullMarked;
