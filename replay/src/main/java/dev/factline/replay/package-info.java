/** The replay tool's command line ({@code ./factline-replay}). */
@NullMarked
package dev.factline.replay;

import org.jspecify.annotations.NullMarked;
