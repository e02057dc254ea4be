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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;

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

    private String path = System.getenv("PATH");
    private Path runLog;

    @BeforeEach
    void logRuns() {
        runLog = work.resolve("runs.log");
    }

    @Test
    void aCommandsArchiveIsMadeAgainWhenTheJarChangedUnderIt() throws Exception {
        copyLauncher();
        Path jar = root.resolve("console-app/target/meshdeck.jar");
        Path archive = root.resolve("console-app/target/cds/status.jsa");
        writeJar(jar, 0);

        run("status");
        assertThat(archive).as("the first run makes the archive at exit").exists();

        // A rebuild: the jar changes (another size, a later time) under an archive made before it.
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        writeJar(jar, 4096);
        FileTime rebuilt = Files.getLastModifiedTime(jar);
        run("status");

        assertThat(archive).exists();
        assertThat(Files.getLastModifiedTime(archive).compareTo(rebuilt)).as("the archive was made again").isPositive();
    }

    @Test
    void aBuildForTheDemoEndsWithAShortDemoRunThatRecordsTheDemosArchive() throws Exception {
        copyLauncher();
        installFakeMaven();
        Path archive = root.resolve("console-app/target/cds/demo.jsa");

        run("demo");

        List<String> runs = Files.readAllLines(runLog);
        assertThat(runs).hasSize(2);
        assertIsTheRecordingRun(runs.get(0), archive);
        assertThat(runs.get(1)).as("the user's run, from the recorded archive")
                .startsWith("demo |")
                .contains("-XX:SharedArchiveFile=" + archive)
                .endsWith("| archive present");
        assertThat(archive).exists();
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(strings = {"1", "134"}) // an error, or a JVM that aborted
    void aRecordingThatFailsLeavesNoArchiveAndTheDemoStillRuns(String exit) throws Exception {
        copyLauncher();
        installFakeMaven();

        String output = run(0, Map.of("HELLO_RECORDING_EXIT", exit), "demo");

        List<String> runs = Files.readAllLines(runLog);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1)).startsWith("demo |").endsWith("| archive absent");
        assertThat(output).contains("recording the archive failed (console-app/target/cds/demo-recording.log)");
    }

    @Test
    void aRecordingStoppedByCtrlCStopsTheLauncherToo() throws Exception {
        copyLauncher();
        installFakeMaven();

        // The JVM answers SIGINT by running its shutdown hooks and exiting with 130.
        run(130, Map.of("HELLO_RECORDING_EXIT", "130"), "demo");

        assertThat(Files.readAllLines(runLog)).singleElement().asString().startsWith("demo --duration 0s");
        assertThat(root.resolve("console-app/target/cds/demo.jsa")).doesNotExist();
    }

    @Test
    void askingTheDemoForHelpRecordsNothing() throws Exception {
        copyLauncher();
        installFakeMaven();

        run(0, Map.of(), "demo", "--help");

        assertThat(Files.readAllLines(runLog)).singleElement().asString().startsWith("demo --help |");
    }

    @Test
    void aBuildForAnotherCommandRecordsNoDemoRun() throws Exception {
        copyLauncher();
        installFakeMaven();

        run("status");

        assertThat(Files.readAllLines(runLog)).singleElement().asString().startsWith("status |");
        assertThat(root.resolve("console-app/target/cds/demo.jsa")).doesNotExist();
    }

    @Test
    void aBuildForAnotherCommandRecordsTheDemosArchiveAgainWhenTheTreesDemoHadOne() throws Exception {
        copyLauncher();
        installFakeMaven();
        Path archive = root.resolve("console-app/target/cds/demo.jsa");
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, "an archive of the build before");

        run("status");

        List<String> runs = Files.readAllLines(runLog);
        assertThat(runs).hasSize(2);
        assertIsTheRecordingRun(runs.get(0), archive);
        assertThat(runs.get(1)).as("the user's command, after the recording").startsWith("status |");
        assertThat(Files.readString(archive, StandardCharsets.ISO_8859_1)).as("a new archive, recorded by the JVM")
                .doesNotContain("an archive of the build before");
    }

    @Test
    void aWordThatIsNoCommandGetsNoArchive() throws Exception {
        copyLauncher();
        writeJar(root.resolve("console-app/target/meshdeck.jar"), 0);

        run("stauts");

        assertThat(Files.readAllLines(runLog)).singleElement().asString().startsWith("stauts |")
                .doesNotContain("SharedArchiveFile");
        assertThat(root.resolve("console-app/target/cds/stauts.jsa")).doesNotExist();
    }

    @Test
    void theLauncherArchivesEveryCommandButTheSidecar() throws IOException {
        Matcher list = Pattern.compile("archived_commands=\" (.*) \"").matcher(Files.readString(Path.of("..", "meshdeck")));
        assertThat(list.find()).as("the launcher's archived_commands line").isTrue();

        Set<String> commands = new TreeSet<>();
        for (Class<?> c : MeshdeckCommand.class.getAnnotation(Command.class).subcommands()) {
            commands.add(c.getAnnotation(Command.class).name());
        }
        commands.removeAll(Set.of("help", "sidecar"));
        assertThat(new TreeSet<>(List.of(list.group(1).split(" ")))).isEqualTo(commands);
    }

    /** {@code line} is the demo's recording run: a demo that stops at mesh up, writing the archive at exit. */
    private static void assertIsTheRecordingRun(String line, Path archive) {
        assertThat(line).as("the recording run")
                .startsWith("demo --duration 0s --api-listen 127.0.0.1:0 |")
                .contains("-XX:ArchiveClassesAtExit=" + archive)
                .endsWith("| archive absent");
    }

    private void copyLauncher() throws IOException {
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Path.of("..", "meshdeck"), root.resolve("meshdeck"));
        Files.setPosixFilePermissions(root.resolve("meshdeck"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("..", "scripts", "find-jdk.sh"), root.resolve("scripts/find-jdk.sh"));
    }

    /**
     * A {@code mvn} first on the launcher's PATH that "builds" by copying a small jar into place: the real Maven
     * build cannot run inside this module's own tests. The tree has no jar yet, so the launcher builds.
     */
    private void installFakeMaven() throws IOException {
        Path built = work.resolve("built.jar");
        writeJar(built, 0);
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\nmkdir -p console-app/target && cp '" + built
                + "' console-app/target/meshdeck.jar\n");
        Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        path = bin + ":" + System.getenv("PATH");
    }

    /** Runs {@code ./meshdeck command} in the copied tree and waits for it to end with 0. */
    private void run(String command) throws IOException, InterruptedException {
        run(0, Map.of(), command);
    }

    /**
     * Runs {@code ./meshdeck args} in the copied tree with more environment, waits for it to end with
     * {@code expectedExit} and returns its output.
     */
    private String run(int expectedExit, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("meshdeck").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("MESHDECK_JAVA_OPTS");
        builder.environment().remove("MESHDECK_CDS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("PATH", path);
        builder.environment().put("HELLO_LOG", runLog.toString());
        builder.environment().put("HELLO_ARCHIVE", root.resolve("console-app/target/cds/demo.jsa").toString());
        builder.environment().putAll(environment);
        Process launcher = builder.start();
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(launcher.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }

    /**
     * A jar whose main class appends one line to {@code $HELLO_LOG} when set: its arguments, its JVM options and
     * whether the file {@code $HELLO_ARCHIVE} exists; as the demo's recording run it exits with
     * {@code $HELLO_RECORDING_EXIT} when set; padded with {@code padding} bytes so that its size changes.
     */
    private void writeJar(Path jar, int padding) throws IOException {
        Path source = work.resolve("Hello.java");
        Files.writeString(source, """
                import java.lang.management.ManagementFactory;
                import java.nio.file.*;
                public class Hello {
                    public static void main(String[] args) throws Exception {
                        String log = System.getenv("HELLO_LOG");
                        if (log == null) {
                            return;
                        }
                        String archive = Files.exists(Path.of(System.getenv("HELLO_ARCHIVE"))) ? "present" : "absent";
                        Files.writeString(Path.of(log), String.join(" ", args) + " | "
                                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                                + " | archive " + archive + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        String recordingExit = System.getenv("HELLO_RECORDING_EXIT");
                        if (recordingExit != null && String.join(" ", args).contains("--duration 0s")) {
                            System.exit(Integer.parseInt(recordingExit));
                        }
                    }
                }
                """);
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
