/**
 * Rebuilds: a read model's history refilled from the whole event table, by parallel Scan segments,
 * into its own key space beside the version being served, checkpointed per segment so that a
 * killed rebuild resumes; and the comparison of two versions row for row. The same segment worker
 * runs in-process (the replay tool) and as a Lambda invocation per segment (Step Functions).
 */
@NullMarked
package dev.factline.functions.rebuild;

import org.jspecify.annotations.NullMarked;
