package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.observability.CommandMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionMetricsTest {

    private record Recorded(int status, int versionConflicts, boolean replayed) {
    }

    @Test
    void every_answer_is_recorded_once_with_its_status() {
        List<Recorded> recorded = new ArrayList<>();
        CommandMetrics recording = (status, conflicts, replayed) -> recorded.add(new Recorded(status, conflicts, replayed));
        CommandFunction function = new CommandFunction(new InMemoryEventStore(), Clock.systemUTC(), IdGenerator.random(),
                WritePolicy.defaults().withBackoff(RetryBackoff.none()), new RequestLog(line -> { }), recording);

        function.handleRequest(HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-1\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}").event(), null);
        function.handleRequest(HttpApiEvents.post("/accounts/a-1/withdrawals")
                .json("{\"amount\":{\"minorUnits\":5,\"currency\":\"EUR\"}}").event(), null);

        assertThat(recorded).containsExactly(new Recorded(201, 0, false), new Recorded(422, 0, false));
    }

    @Test
    void a_metric_that_fails_leaves_the_answer_as_it_was_and_is_logged() {
        List<String> log = new ArrayList<>();
        CommandMetrics failing = (status, conflicts, replayed) -> {
            throw new IllegalStateException("metrics sink broken");
        };
        CommandFunction function = new CommandFunction(new InMemoryEventStore(), Clock.systemUTC(), IdGenerator.random(),
                WritePolicy.defaults().withBackoff(RetryBackoff.none()), new RequestLog(log::add), failing);

        var response = function.handleRequest(
                HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-1\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}").event(), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(log).anySatisfy(line -> assertThat(line).contains("metrics-failed", "metrics sink broken"));
    }
}
