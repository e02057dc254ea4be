package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./meshdeck} launcher's class-data archive per command: made by a command's first run, and made again
 * after the jar changed. The launcher runs for real, from a copy of this tree's script beside a small jar of its own
 * (the real jar is built after the tests), with this JVM's JDK.
 */
class LauncherClassDataArchiveTest {
    @TempDir
    Path root;
    @TempDir
    Path work;

    @Test
    void aCommandsArchiveIsMadeAgainWhenTheJarChangedUnderIt() throws Exception {
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Path.of("..", "meshdeck"), root.resolve("meshdeck"));
        Files.setPosixFilePermissions(root.resolve("meshdeck"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("..", "scripts", "find-jdk.sh"), root.resolve("scripts/find-jdk.sh"));
        Path jar = root.resolve("console-app/target/meshdeck.jar");
        Path archive = root.resolve("console-app/target/cds/hello.jsa");
        writeJar(jar, 0);

        run("hello");
        assertThat(archive).as("the first run makes the archive at exit").exists();

        // A rebuild: the jar changes (another size, a later time) under an archive made before it.
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        writeJar(jar, 4096);
        FileTime rebuilt = Files.getLastModifiedTime(jar);
        run("hello");

        assertThat(archive).exists();
        assertThat(Files.getLastModifiedTime(archive).compareTo(rebuilt)).as("the archive was made again").isPositive();
    }

    /** Runs {@code ./meshdeck command} in the copied tree and waits for it to end with 0. */
    private void run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("meshdeck").toString(), command)
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MESHDECK_JAVA_OPTS");
        builder.environment().remove("MESHDECK_CDS");
        Process launcher = builder.start();
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(launcher.exitValue()).as(output).isZero();
    }

    /** A jar whose main class does nothing, padded with {@code padding} bytes so that its size changes. */
    private void writeJar(Path jar, int padding) throws IOException {
        Path source = work.resolve("Hello.java");
        Files.writeString(source, "public class Hello { public static void main(String[] args) { } }");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", work.toString(), source.toString());
        assertThat(compiled).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(work.resolve("Hello.class")));
            out.closeEntry();
            for (String name : padding > 0 ? List.of("padding.bin") : List.<String>of()) {
                out.putNextEntry(new JarEntry(name));
                out.write(new byte[padding]);
                out.closeEntry();
            }
        }
    }
}
