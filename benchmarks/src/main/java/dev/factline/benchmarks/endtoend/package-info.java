/** The end-to-end benchmark: the embedded local pipeline driven over HTTP. */
@NullMarked
package dev.factline.benchmarks.endtoend;

import org.jspecify.annotations.NullMarked;
