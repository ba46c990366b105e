package dev.factline.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The probe's own jar, written out of whatever jar this harness runs from: the probe and the
 * hello-world and SDK-floor handlers, plus the official Lambda serializer (with the Jackson it shades), which
 * Lambda's runtime brings along beside a function rather than inside it. Nothing of the harness
 * goes in, so the child JVM loads only what Lambda would.
 */
final class ProbeJar {

    private static final List<Class<?>> OWN_CLASSES = List.of(ColdStartProbe.class, HelloWorldHandler.class, SdkFloorHandler.class);
    /** The serializer's packages: its own, and its shaded Jackson. */
    private static final List<String> SERIALIZER_PACKAGES = List.of(
            "com/amazonaws/services/lambda/runtime/serialization/", "com/amazonaws/lambda/thirdparty/");

    private ProbeJar() {
    }

    static Path write(Path directory) throws IOException {
        Path jar = directory.resolve("coldstart-probe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> own : OWN_CLASSES) {
                String name = own.getName().replace('.', '/') + ".class";
                try (InputStream in = own.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IllegalStateException(name + " is not on the harness's class path");
                    }
                    copy(name, in, out);
                }
            }
            try (JarFile serializer = new JarFile(serializerJar().toFile())) {
                Enumeration<JarEntry> entries = serializer.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.isDirectory() && SERIALIZER_PACKAGES.stream().anyMatch(entry.getName()::startsWith)) {
                        try (InputStream in = serializer.getInputStream(entry)) {
                            copy(entry.getName(), in, out);
                        }
                    }
                }
            }
        }
        return jar;
    }

    /** The jar the serializer was loaded from: its own, or the harness's shaded one. */
    private static Path serializerJar() {
        try {
            Path location = Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                throw new IllegalStateException("the Lambda serializer was not loaded from a jar but from " + location);
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the Lambda serializer's jar has no usable location", e);
        }
    }

    private static void copy(String name, InputStream in, JarOutputStream out) throws IOException {
        out.putNextEntry(new JarEntry(name));
        in.transferTo(out);
        out.closeEntry();
    }
}
