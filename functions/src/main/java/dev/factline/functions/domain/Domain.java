package dev.factline.functions.domain;

/**
 * One business domain as the functions host it. {@link #declare} names, once, everything the
 * functions need of it: the command function its aggregates and command routes, the query function
 * its read routes, the projector and the rebuild tool its read models, the saga function its
 * reactions, and the topology every route's path.
 */
@FunctionalInterface
public interface Domain {

    void declare(Declarations declare);
}
