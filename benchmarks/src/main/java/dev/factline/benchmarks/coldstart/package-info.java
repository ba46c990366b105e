/**
 * Cold start: each function's fresh JVM, timed to handler ready and through its first invoke on
 * the local servers, against a hello-world handler timed the same way, under the JVM settings and
 * the SnapStart priming worth trying; plus classes loaded and the deployable jar's size.
 */
@NullMarked
package dev.factline.benchmarks.coldstart;

import org.jspecify.annotations.NullMarked;
