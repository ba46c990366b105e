/**
 * SnapStart priming: each function runs a representative request through an offline copy of
 * itself before Lambda takes its snapshot, so the restored function has its classes loaded and
 * its code paths warmed without having connected, written or drawn anything the snapshot would
 * share.
 */
@NullMarked
package dev.factline.functions.snapstart;

import org.jspecify.annotations.NullMarked;
