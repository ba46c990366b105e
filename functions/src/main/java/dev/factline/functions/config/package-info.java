/** What every function reads from its environment, and the clients it builds from it. */
@NullMarked
package dev.factline.functions.config;

import org.jspecify.annotations.NullMarked;
