package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.view.RedisViewCache;
import dev.factline.local.FactlineApi.Answer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;

/**
 * The pipeline's children (dynalite, kinesalite, redis-server) with real processes: they end with
 * the pipeline even when it is killed, a redis-server that dies under it comes back on its port
 * and serves reads again, and a dynalite that dies is reported, not silently restarted empty.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ChildSupervisionIT {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Nested
    class When_the_pipeline_is_killed {

        @Test
        void with_sigkill_no_child_process_and_no_temp_folder_is_left(@TempDir Path tmp) throws Exception {
            try (PipelineJvm jvm = PipelineJvm.start(tmp, "0", "--in-memory")) {
                List<ProcessHandle> children = jvm.process().descendants().toList();
                assertThat(children).as("dynalite, kinesalite and the redis launcher with its redis-server")
                        .extracting(ChildSupervisionIT::commandLine)
                        .anySatisfy(command -> assertThat(command).contains("dynalite-server.js"))
                        .anySatisfy(command -> assertThat(command).contains("kinesalite-server.js"))
                        .anySatisfy(command -> assertThat(command).contains("redis-server.js"))
                        .anySatisfy(command -> assertThat(command).contains("redis-server-"));
                assertThat(entries(tmp)).as("redis-server's temp folder while it runs").isNotEmpty();

                jvm.process().destroyForcibly();

                eventually(WITHIN, () -> children.stream().filter(ProcessHandle::isAlive).map(ChildSupervisionIT::commandLine).toList(),
                        List::isEmpty);
                eventually(WITHIN, () -> entries(tmp), List::isEmpty);
            }
        }
    }

    @Nested
    class When_a_child_dies_under_a_running_pipeline {

        @Test
        void a_killed_redis_server_is_restarted_on_its_port_and_reads_are_served_from_redis_again() throws Exception {
            try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
                    RedisClient redis = RedisViewCache.client(pipeline.endpoints().get("Redis"), Duration.ofSeconds(1), Duration.ofSeconds(1))) {
                URI url = pipeline.url();
                String account = "supervised-" + UUID.randomUUID();
                Answer opened = send(url, "POST", "/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"eve\",\"currency\":\"EUR\"}");
                assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
                awaitView(url, account, 1);
                assertThat(redisHitsOfARead(redis, url, account)).as("a read before the kill is a Redis hit").isPositive();

                ProcessHandle redisServer = redisServer(redis);
                assertThat(redisServer.parent().map(ChildSupervisionIT::commandLine)).as("under its launcher").hasValueSatisfying(
                        command -> assertThat(command).contains("redis-server.js"));
                redisServer.destroyForcibly();
                eventually(WITHIN, redisServer::isAlive, alive -> !alive);

                eventually(WITHIN, () -> ping(redis), "PONG"::equals);
                assertThat(redisServer(redis).pid()).as("a new redis-server on the same port").isNotEqualTo(redisServer.pid());
                Answer deposited = send(url, "POST", "/accounts/" + account + "/deposits", "{\"amount\":{\"minorUnits\":42,\"currency\":\"EUR\"}}");
                assertThat(deposited.status()).as(deposited.toString()).isEqualTo(200);
                awaitView(url, account, 2);
                eventually(WITHIN, () -> redisHitsOfARead(redis, url, account), hits -> hits > 0);
            }
        }

        @Test
        void in_memory_a_killed_dynalite_is_reported_loudly_and_not_restarted_empty(@TempDir Path tmp) throws Exception {
            try (PipelineJvm jvm = PipelineJvm.start(tmp, "0", "--in-memory")) {
                ProcessHandle dynalite = jvm.process().descendants().filter(child -> commandLine(child).contains("dynalite-server.js"))
                        .findFirst().orElseThrow();
                dynalite.destroyForcibly();

                String report = eventually(WITHIN, () -> String.join("\n", jvm.stderr()), lines -> lines.contains("dynalite on port"));
                assertThat(report).contains("exited by itself", "It is not restarted", "in memory", "start it again");
                assertThat(jvm.process().descendants().map(ChildSupervisionIT::commandLine)).as("no new dynalite")
                        .noneMatch(command -> command.contains("dynalite-server.js"));
            }
        }
    }

    @Nested
    class On_a_data_folder {

        @Test
        void a_killed_dynalite_is_restarted_on_its_port_with_every_write_and_the_triggers_carry_on(@TempDir Path tmp) throws Exception {
            try (PipelineJvm jvm = PipelineJvm.start(tmp, "0", "--data", tmp.resolve("data").toString())) {
                URI url = jvm.url();
                Answer opened = send(url, "POST", "/accounts", "{\"accountId\":\"durable\",\"ownerId\":\"eve\",\"currency\":\"EUR\"}");
                assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
                awaitView(url, "durable", 1);
                ProcessHandle dynalite = jvm.child("dynalite-server.js");
                dynalite.destroyForcibly();

                eventually(WITHIN, () -> String.join("\n", jvm.stderr()), lines -> lines.contains("dynalite is back on port"));
                assertThat(jvm.child("dynalite-server.js").pid()).as("a new dynalite").isNotEqualTo(dynalite.pid());
                Answer deposited = send(url, "POST", "/accounts/durable/deposits", "{\"amount\":{\"minorUnits\":42,\"currency\":\"EUR\"}}");
                assertThat(deposited.status()).as(deposited.toString()).isEqualTo(200);
                assertThat(deposited.json().path("version").asLong()).as("the stream's first event survived").isEqualTo(2);
                awaitView(url, "durable", 2);
            }
        }
    }

    /** The redis-server process that answers {@code redis}, as it reports itself. */
    private static ProcessHandle redisServer(RedisClient redis) {
        Matcher matcher = Pattern.compile("(?m)^process_id:(\\d+)").matcher(redis.info("server"));
        assertThat(matcher.find()).as("INFO server has process_id").isTrue();
        return ProcessHandle.of(Long.parseLong(matcher.group(1))).orElseThrow();
    }

    static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static List<String> entries(Path folder) {
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ping(RedisClient redis) {
        try {
            return redis.ping();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    /** How many keyspace hits Redis counted while the API answered one read of the account. */
    private static long redisHitsOfARead(RedisClient redis, URI url, String account) {
        long before = keyspaceHits(redis);
        Answer read = send(url, "GET", "/accounts/" + account, null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        return keyspaceHits(redis) - before;
    }

    private static long keyspaceHits(RedisClient redis) {
        Matcher matcher = Pattern.compile("(?m)^keyspace_hits:(\\d+)").matcher(redis.info("stats"));
        assertThat(matcher.find()).as("INFO stats has keyspace_hits").isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static void awaitView(URI url, String account, long version) {
        eventually(WITHIN, () -> send(url, "GET", "/accounts/" + account, null),
                read -> read.status() == 200 && read.json().path("version").asLong() == version);
    }

    private static Answer send(URI url, String method, String path, @Nullable String json) {
        return FactlineApi.send(url, method, path, json);
    }
}
