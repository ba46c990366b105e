package dev.factline.functions.domains.subjects;

import dev.factline.functions.domain.Declarations;
import dev.factline.functions.domain.Domain;
import dev.factline.personal.Subjects;

/**
 * The people the domains' personal data belongs to: each subject's stream records its erasures,
 * readable as any history.
 *
 * <pre>
 * GET    /subjects/{id}/events          the subject's erasures
 * DELETE /subjects/{id}/personal-data   forget the subject (the command function's own route: it shreds the key first)
 * </pre>
 */
public final class SubjectDomain implements Domain {

    @Override
    public void declare(Declarations declare) {
        declare.aggregate("/subjects", Subjects.TYPE);
    }
}
