/**
 * The CDK app: {@link dev.factline.infra.FactlineApp} wires a {@link dev.factline.infra.DataStack}
 * (the event and read tables, the published-events stream) and a
 * {@link dev.factline.infra.ServiceStack} (network, cache, functions, HTTP API, stream triggers,
 * alarms), both built from the topology the functions declare.
 */
@NullMarked
package dev.factline.infra;

import org.jspecify.annotations.NullMarked;
