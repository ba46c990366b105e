package dev.factline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Builds the app's stacks for a test, offline. The template tests deploy a stand-in jar (a
 * template names its asset by hash only), so they need no packaged functions; {@code
 * FunctionsJarIT} checks the real one.
 */
final class TestApps {

    private static final Path STAND_IN_JAR = standInJar();

    private TestApps() {
    }

    static Settings settings() {
        return Settings.defaults().withStage("test").withFunctionsJar(STAND_IN_JAR);
    }

    static FactlineApp.Stacks stacks(Settings settings) {
        App app = new App(AppProps.builder().outdir(outdir().toString()).build());
        return FactlineApp.stacks(app, settings);
    }

    static Path outdir() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "cdk.out-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path standInJar() {
        try {
            Path jar = Files.createTempFile("functions-stand-in", ".jar");
            jar.toFile().deleteOnExit();
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
                zip.putNextEntry(new ZipEntry("README"));
                zip.write("a stand-in for the functions jar in template tests".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
