package dev.factline.functions.command;

import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.functions.domain.Declarations.CommandPath;
import dev.factline.functions.domain.Domains;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.http.Problem;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.RouteTable;
import dev.factline.personal.DataKeys;
import dev.factline.personal.SubjectCommand;
import dev.factline.personal.SubjectCommand.ForgetPersonalData;
import dev.factline.personal.Subjects;
import java.util.List;
import java.util.Objects;

/**
 * Every command route of the hosted domains, and the reading of a request at one of them, in the
 * order a client's mistakes are reported: route (404, 405), body size and media type (413, 415),
 * headers (400), body (400).
 */
final class CommandRoutes {

    private final RouteTable<CommandRoute> table;
    private final IdGenerator ids;

    CommandRoutes(Domains domains, IdGenerator ids, DataKeys keys) {
        RouteTable.Builder<CommandRoute> routes = RouteTable.builder();
        for (CommandPath command : domains.commandRoutes()) {
            routes.add("POST", command.path(), command.route());
        }
        routes.add("DELETE", CommandFunction.FORGET_PATH, CommandRoute.bodyOptional(input -> forget(input.pathId(), keys)));
        this.table = routes.build();
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    List<String> keys() {
        return table.keys();
    }

    /**
     * Forgets a subject: shreds its data key (the erasure itself, which every reader sees at once),
     * then records which key in the subject's stream. Shredding comes first and is idempotent, so a
     * request that fails after it is completed by a retry, and a second request records nothing new.
     */
    private static BoundCommand<SubjectCommand> forget(String subject, DataKeys keys) {
        String keyId = keys.shred(subject).orElseThrow(() -> new ProblemException(Problem.of(ProblemType.NOT_FOUND,
                "subject " + subject + " has no personal data here: no data key was ever issued for it, so there is nothing to forget")));
        return new BoundCommand<>(Subjects.TYPE, Subjects.TYPE.streamId(subject), new ForgetPersonalData(keyId),
                "/subjects/" + subject + "/events");
    }

    /** The request as a command ready to handle; a {@code ProblemException} says what is wrong with it. */
    Submission read(Exchange exchange) {
        HttpRequest request = exchange.request();
        RouteTable.Match<CommandRoute> match = table.find(request.method(), request.path());
        exchange.routed(match.route().key());
        byte[] body = request.jsonBody(match.target().maxBodyBytes());
        Long pinnedVersion = EntityTags.ifMatchVersion(request.header(EntityTags.IF_MATCH));
        IdempotencyKey key = IdempotencyKeys.read(request);
        JsonObjectReader reader = body.length == 0 && match.target().bodyOptional() ? JsonObjectReader.empty() : JsonObjectReader.parse(body);
        BoundCommand<?> command = match.target().parser().parse(new CommandInput(match, reader, ids, key));
        Idempotency idempotency = key == null ? null
                : new Idempotency(key, IdempotencyKeys.fingerprint(match.route().key(), command.streamId(), command.command()));
        Submission submission = new Submission(command, exchange.metadata(), pinnedVersion, idempotency);
        exchange.submitted(submission);
        return submission;
    }
}
