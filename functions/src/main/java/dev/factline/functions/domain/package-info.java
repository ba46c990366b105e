/**
 * Where a domain plugs into the functions: a {@link dev.factline.functions.domain.Domain} declares
 * its aggregates, command routes, read models (with the routes that serve them) and process
 * reactions once; {@link dev.factline.functions.domain.HostedDomains} registers it; every function
 * and the topology take what they need from the registered {@link dev.factline.functions.domain.Domains}.
 */
@NullMarked
package dev.factline.functions.domain;

import org.jspecify.annotations.NullMarked;
