package dev.factline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Topology;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The jar the stack deploys, as {@code ./mvnw package} built it (so this runs in {@code verify},
 * after the functions module is packaged): every handler of the topology and what it needs at run
 * time, loadable on its own, within Lambda's size limit, and accepted by synth.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FunctionsJarIT {

    private static final Path JAR = Path.of(Settings.DEFAULT_FUNCTIONS_JAR);
    private static final Topology TOPOLOGY = Topology.standard("factline-it");
    /** Lambda's limit on a function's unzipped code. */
    private static final long UNZIPPED_LIMIT = 250L * 1024 * 1024;

    @Test
    void holds_every_handler_and_the_libraries_they_run_on() throws IOException {
        assertThat(JAR).as("the functions' uber jar; run ./mvnw package first").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (FunctionSpec function : TOPOLOGY.functions()) {
                assertThat(jar.getEntry(function.handler().replace('.', '/') + ".class")).as(function.handler()).isNotNull();
            }
            for (String library : List.of(
                    "dev/factline/eventsourcing/EventStore.class",
                    "com/amazonaws/services/lambda/runtime/RequestHandler.class",
                    "com/amazonaws/services/lambda/runtime/events/DynamodbEvent.class",
                    "software/amazon/awssdk/services/dynamodb/DynamoDbClient.class",
                    "software/amazon/awssdk/services/kinesis/KinesisClient.class",
                    "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
                    "redis/clients/jedis/Jedis.class",
                    "com/fasterxml/jackson/databind/ObjectMapper.class",
                    "META-INF/services/software.amazon.awssdk.http.SdkHttpService")) {
                assertThat(jar.getEntry(library)).as(library).isNotNull();
            }
            List<? extends ZipEntry> entries = Collections.list(jar.entries());
            assertThat(entries).as("signature files of merged jars").noneMatch(entry -> entry.getName().matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
            assertThat(entries.stream().mapToLong(ZipEntry::getSize).sum()).isLessThan(UNZIPPED_LIMIT);
        }
    }

    @Test
    void every_handler_loads_from_the_jar_alone() throws Exception {
        try (URLClassLoader alone = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (FunctionSpec function : TOPOLOGY.functions()) {
                Class<?> handler = Class.forName(function.handler(), false, alone);
                assertThat(handler.getClassLoader()).isSameAs(alone);
                // Resolves every type in the handler's signatures, as the runtime does when it builds one.
                assertThat(handler.getDeclaredConstructors()).as(function.handler()).isNotEmpty();
                assertThat(handler.getDeclaredMethods()).as(function.handler()).isNotEmpty();
            }
        }
    }

    @Test
    void synth_deploys_it_as_the_functions_code() throws IOException {
        Settings settings = TestApps.settings().withFunctionsJar(JAR);
        Template service = Template.fromStack(TestApps.stacks(settings).service());

        service.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Code", Match.objectLike(Map.of("S3Key", Match.stringLikeRegexp("[0-9a-f]{64}\\.jar"))))));
        assertThat(Files.size(JAR)).isPositive();
    }
}
