package dev.factline.functions.personal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.personal.DataKey;
import dev.factline.personal.KeyServiceUnavailableException;
import dev.factline.personal.PersonalDataTamperedException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The KMS master key against a real KMS API (moto's server, preinstalled in the image's Python):
 * data keys issued and unwrapped under the subject's encryption context, counted per call, and a
 * KMS that cannot be reached reported as the key service unavailable.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KmsMasterKeyIT {

    private static Process moto;
    private static URI endpoint;
    private static final CallCounter KMS_CALLS = new CallCounter();
    private static KmsClient kms;
    private static String keyId;

    @BeforeAll
    static void startMoto() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "moto-kms-" + port + ".log").toFile()).start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        awaitListening();
        kms = client(endpoint).overrideConfiguration(c -> c.addExecutionInterceptor(KMS_CALLS)).build();
        keyId = kms.createKey(key -> key.description("factline test master key")).keyMetadata().arn();
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (kms != null) {
            kms.close();
        }
        if (moto != null) {
            moto.destroy();
            if (!moto.waitFor(5, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        }
    }

    @Test
    void a_warm_container_seals_and_opens_with_no_kms_call_and_a_cold_one_unwraps_once() {
        EventTable table = new EventTable("kms-keys-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);
        KmsMasterKey master = new KmsMasterKey(kms, keyId);
        SubjectKeyTable warm = new SubjectKeyTable(LocalDynamo.shared().client(), table, master, Clock.systemUTC());
        KMS_CALLS.reset();

        DataKey issued = warm.sealingKey("c-1");
        assertThat(KMS_CALLS.calls()).isEqualTo(Map.of("GenerateDataKey", 1));
        KMS_CALLS.reset();
        for (int i = 0; i < 5; i++) {
            assertThat(warm.sealingKey("c-1")).isEqualTo(issued);
            assertThat(warm.openingKey("c-1", issued.keyId())).contains(issued);
        }
        assertThat(KMS_CALLS.total()).as("KMS calls of a warm container").isZero();

        SubjectKeyTable cold = new SubjectKeyTable(LocalDynamo.shared().client(), table, master, Clock.systemUTC());
        assertThat(cold.openingKey("c-1", issued.keyId()).orElseThrow().key().getEncoded()).isEqualTo(issued.key().getEncoded());
        assertThat(cold.openingKey("c-1", issued.keyId())).isPresent();
        assertThat(KMS_CALLS.calls()).isEqualTo(Map.of("Decrypt", 1));

        assertThat(warm.shred("c-1")).contains(issued.keyId());
        assertThat(cold.openingKey("c-1", issued.keyId())).as("shredded by another container, gone for this one").isEmpty();
        assertThat(warm.shred("c-1")).as("idempotent").contains(issued.keyId());
        assertThat(warm.sealingKey("c-1").keyId()).as("a subject coming back gets a new key").isNotEqualTo(issued.keyId());
    }

    @Test
    void a_wrapped_key_does_not_unwrap_for_another_subject() {
        KmsMasterKey master = new KmsMasterKey(kms, keyId);
        MasterKey.IssuedKey issued = master.issue("c-1");

        assertThat(master.unwrap("c-1", issued.wrapped())).isEqualTo(issued.plain());
        assertThatThrownBy(() -> master.unwrap("c-2", issued.wrapped())).isInstanceOf(PersonalDataTamperedException.class)
                .hasMessageContaining("c-2");
    }

    @Test
    void a_kms_that_cannot_be_reached_is_the_key_service_unavailable() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        try (KmsClient unreachable = client(URI.create("http://127.0.0.1:" + closed))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(2))).build()) {
            assertThatThrownBy(() -> new KmsMasterKey(unreachable, keyId).issue("c-1"))
                    .isInstanceOf(KeyServiceUnavailableException.class).hasMessageContaining(keyId);
        }
    }

    private static KmsClientBuilder client(URI at) {
        return KmsClient.builder().endpointOverride(at).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    private static void awaitListening() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline) && moto.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("moto_server did not start at " + endpoint + " (is moto installed? pip install 'moto[server]')");
    }
}
