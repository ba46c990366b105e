/**
 * Local emulators of AWS services, shared by the tests of {@code functions} and the local
 * pipeline ({@code localstack}): {@link dev.factline.emulators.NodeServer} runs an emulator
 * (dynalite, kinesalite) as a Node child process; {@link dev.factline.emulators.RawGetRecordsBodies}
 * and {@link dev.factline.emulators.LambdaStreamEvents} turn DynamoDB stream records into the
 * event Lambda delivers.
 */
@NullMarked
package dev.factline.emulators;

import org.jspecify.annotations.NullMarked;
