/** What the functions tell operators: metrics in CloudWatch's embedded metric format, and JSON log lines. */
@NullMarked
package dev.factline.functions.observability;

import org.jspecify.annotations.NullMarked;
