package dev.factline.functions.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EnvironmentTest {

    @Nested
    class Settings {

        @Test
        void a_missing_required_variable_stops_the_function_naming_it_and_what_it_is_for() {
            assertThatThrownBy(() -> Environment.of(Map.of("READ_TABLE", "  ")).get(FunctionSettings.READ_TABLE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("READ_TABLE is not set: the function needs the name of the DynamoDB read table in its environment"
                            + " (the CDK stack and the local pipeline both set it)");
        }

        @Test
        void values_are_stripped_and_blank_ones_count_as_unset() {
            Environment environment = Environment.of(Map.of("READ_TABLE", " views ", "SNAPSHOT_INTERVAL", ""));

            assertThat(environment.get(FunctionSettings.READ_TABLE)).isEqualTo("views");
            assertThat(environment.optional("SNAPSHOT_INTERVAL")).isEmpty();
            assertThat(environment.get(FunctionSettings.SNAPSHOT_INTERVAL)).isEqualTo(100);
        }

        @Test
        void a_number_that_is_no_whole_number_in_its_range_is_refused_with_its_value() {
            assertThatThrownBy(() -> Environment.of(Map.of("SNAPSHOT_INTERVAL", "-1")).get(FunctionSettings.SNAPSHOT_INTERVAL))
                    .hasMessage("SNAPSHOT_INTERVAL must be a whole number of 0 or more, but is '-1'");
            assertThatThrownBy(() -> Environment.of(Map.of("SNAPSHOT_INTERVAL", "often")).get(FunctionSettings.SNAPSHOT_INTERVAL))
                    .hasMessage("SNAPSHOT_INTERVAL must be a whole number of 0 or more, but is 'often'");
            assertThatThrownBy(() -> Environment.of(Map.of("MAX_EVENT_PAYLOAD_BYTES", "0")).get(FunctionSettings.MAX_EVENT_PAYLOAD_BYTES))
                    .hasMessage("MAX_EVENT_PAYLOAD_BYTES must be a whole number from 1 to 358400, but is '0'");
        }

        @Test
        void a_duration_in_milliseconds_must_be_at_least_one() {
            assertThat(Environment.of(Map.of("REDIS_TIMEOUT_MS", "100")).get(FunctionSettings.REDIS_TIMEOUT_MS)).isEqualTo(Duration.ofMillis(100));
            assertThat(Environment.of(Map.of()).get(FunctionSettings.REDIS_TIMEOUT_MS)).isEqualTo(Duration.ofMillis(250));
            assertThatThrownBy(() -> Environment.of(Map.of("REDIS_TIMEOUT_MS", "0")).get(FunctionSettings.REDIS_TIMEOUT_MS))
                    .hasMessage("REDIS_TIMEOUT_MS must be a whole number of milliseconds, 1 or more, but is '0'");
        }

        @Test
        void the_cache_s_url_needs_a_redis_scheme_and_a_host_and_may_be_absent() {
            assertThat(Environment.of(Map.of("REDIS_URL", "rediss://cache.example:6379")).get(FunctionSettings.REDIS_URL))
                    .contains(URI.create("rediss://cache.example:6379"));
            assertThat(Environment.of(Map.of()).get(FunctionSettings.REDIS_URL)).isEmpty();
            assertThatThrownBy(() -> Environment.of(Map.of("REDIS_URL", "cache.example:6379")).get(FunctionSettings.REDIS_URL))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("REDIS_URL must be a URL such as redis://host:6379 or rediss://host:6379, but is 'cache.example:6379'");
        }

        @Test
        void a_value_the_function_would_refuse_cannot_be_set() {
            assertThat(FunctionSettings.REDIS_TIMEOUT_MS.set(Duration.ofMillis(250))).isEqualTo(Map.entry("REDIS_TIMEOUT_MS", "250"));
            assertThatThrownBy(() -> FunctionSettings.SNAPSHOT_INTERVAL.set(-1))
                    .hasMessage("SNAPSHOT_INTERVAL must be a whole number of 0 or more, but is '-1'");
        }

        @Test
        void every_setting_is_declared_once_under_its_own_name() {
            assertThat(FunctionSettings.ALL).extracting(Setting::name).doesNotHaveDuplicates();
            assertThat(FunctionSettings.named("SNAPSHOT_INTERVAL")).containsSame(FunctionSettings.SNAPSHOT_INTERVAL);
            assertThat(FunctionSettings.named("SNAPSHOT_INTERVALS")).isEmpty();
        }

        @Test
        void every_declared_setting_is_among_all_of_them() throws IllegalAccessException {
            List<Object> declared = new ArrayList<>();
            for (Field field : FunctionSettings.class.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                    declared.add(field.get(null));
                }
            }

            assertThat(declared).isNotEmpty().containsExactlyInAnyOrderElementsOf(FunctionSettings.ALL);
        }
    }

    @Nested
    class Clients {

        private final List<AutoCloseable> closedAtStop = new ArrayList<>();

        @Test
        void take_region_endpoint_and_credentials_from_the_environment_as_the_sdk_takes_them_from_the_process() {
            Environment environment = Environment.of(Map.of(
                    "AWS_REGION", "eu-west-1",
                    "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
                    "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000",
                    "AWS_ACCESS_KEY_ID", "local-key",
                    "AWS_SECRET_ACCESS_KEY", "local-secret"), closedAtStop::add);

            DynamoDbClient dynamo = environment.dynamoDb(Duration.ofSeconds(1), Duration.ofSeconds(2));
            KinesisClient kinesis = environment.kinesis(Duration.ofSeconds(1), Duration.ofSeconds(2));

            assertThat(dynamo.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(dynamo.serviceClientConfiguration().endpointOverride()).as("the service's own endpoint first")
                    .contains(URI.create("http://127.0.0.1:8000"));
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).as("else the global one")
                    .contains(URI.create("http://127.0.0.1:4566"));
            AwsCredentialsIdentity credentials = dynamo.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            assertThat(credentials.accessKeyId()).isEqualTo("local-key");
            assertThat(credentials.secretAccessKey()).isEqualTo("local-secret");
            assertThat(closedAtStop).as("handed to the host that stops the function").containsExactly(dynamo, kinesis);
        }

        @Test
        void leave_to_the_sdk_what_the_environment_does_not_say() {
            Environment environment = Environment.of(Map.of("AWS_REGION", "us-east-1"));

            assertThat(environment.dynamoDb(Duration.ofSeconds(1), Duration.ofSeconds(2)).serviceClientConfiguration().endpointOverride())
                    .isEqualTo(Optional.empty());
        }
    }
}
