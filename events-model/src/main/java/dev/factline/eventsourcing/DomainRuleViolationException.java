package dev.factline.eventsourcing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command refused by a business rule: nothing was decided and nothing is written. The
 * {@link #violation()} says which rule, with a stable {@link RuleViolation#code() code}; the
 * message says why in words, for people.
 */
public final class DomainRuleViolationException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final RuleViolation violation;

    public DomainRuleViolationException(RuleViolation violation, String message) {
        super(message);
        this.violation = Objects.requireNonNull(violation, "violation");
        if (!CODE.matcher(violation.code()).matches()) {
            throw new IllegalArgumentException("rule codes are kebab-case, but got '" + violation.code() + "'");
        }
    }

    public RuleViolation violation() {
        return violation;
    }

    public String code() {
        return violation.code();
    }

    /** Whether the rule refused the command because its stream does not exist. */
    public boolean meansStreamMissing() {
        return violation.meansStreamMissing();
    }
}
