package dev.factline.eventsourcing;

/**
 * One business rule a command can break. Domains declare theirs as an enum, so the set of codes
 * is visible in one place; {@link #code()} is the stable, kebab-case name clients see (e.g. as
 * the suffix of an RFC 9457 problem type).
 */
public interface RuleViolation {

    String code();

    /**
     * Whether breaking this rule means the command's stream does not exist (an order never
     * placed, say): an HTTP edge answers that with 404 rather than 422.
     */
    default boolean meansStreamMissing() {
        return false;
    }
}
