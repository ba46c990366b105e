package dev.factline.functions.command;

import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.functions.domain.Declarations.CommandPath;
import dev.factline.functions.domain.Domains;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.http.RouteTable;
import java.util.List;
import java.util.Objects;

/**
 * Every command route of the hosted domains, and the reading of a request at one of them, in the
 * order a client's mistakes are reported: route (404, 405), body size and media type (413, 415),
 * headers (400), body (400).
 */
final class CommandRoutes {

    /** Commands are small; anything larger is refused before it is parsed. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final RouteTable<CommandRoute> table;
    private final IdGenerator ids;

    CommandRoutes(Domains domains, IdGenerator ids) {
        RouteTable.Builder<CommandRoute> routes = RouteTable.builder();
        for (CommandPath command : domains.commandRoutes()) {
            routes.add("POST", command.path(), command.route());
        }
        this.table = routes.build();
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    List<String> keys() {
        return table.keys();
    }

    /** The request as a command ready to handle; a {@code ProblemException} says what is wrong with it. */
    Submission read(Exchange exchange) {
        HttpRequest request = exchange.request();
        RouteTable.Match<CommandRoute> match = table.find(request.method(), request.path());
        exchange.routed(match.route().key());
        byte[] body = request.jsonBody(MAX_BODY_BYTES);
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
