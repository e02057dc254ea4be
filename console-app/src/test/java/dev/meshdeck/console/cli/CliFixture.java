package dev.meshdeck.console.cli;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.api.ControlPlane;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.grpc.HostPort;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code meshdeck} commands as a user would, against a real controller ({@link ControllerServer}: a
 * temporary workspace, xDS and the API on loopback ephemeral ports). Config comes from
 * {@code src/test/resources/fixtures/}.
 */
abstract class CliFixture {
    @TempDir
    Path tmp;
    ControllerServer controller;
    /** The controller in process, to set up state and to check what a command did. */
    ControlPlane controlPlane;

    /** How long a sidecar whose stream ended stays listed: short, so that PROXY_GONE comes soon. */
    Duration grace() {
        return Duration.ofMillis(200);
    }

    /** What one command run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startController() throws IOException {
        controller = ControllerServer.start(new ControllerServer.Settings(Optional.empty(),
                HostPort.parse("127.0.0.1:0"), Optional.of(HostPort.parse("127.0.0.1:0")), tmp.resolve("workspace"),
                false, grace()));
        controlPlane = controller.controlPlane();
    }

    @AfterEach
    void stopController() {
        controller.close();
    }

    /** Where the controller serves the API, {@code 127.0.0.1:PORT}. */
    String apiAddress() {
        return controller.apiAddress().orElseThrow();
    }

    /** Copies {@code fixtures/RELATIVE} into the test's directory, as a file of the user's. */
    Path fixtureFile(String relative) throws IOException {
        Path copy = tmp.resolve(Path.of(relative).getFileName().toString());
        return Files.writeString(copy, fixture(relative));
    }

    /** The text of {@code fixtures/RELATIVE}. */
    static String fixture(String relative) throws IOException {
        try (InputStream in = CliFixture.class.getResourceAsStream("/fixtures/" + relative)) {
            if (in == null) {
                throw new IOException("no fixture " + relative);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code fixtures/RELATIVE} as a file to apply in process, named as the file. */
    static SourceFile source(String relative) throws IOException {
        return new SourceFile(Path.of(relative).getFileName().toString(), fixture(relative));
    }

    /** Runs {@code meshdeck ARGS --controller <the test controller>}. */
    Run run(String... args) {
        return runWithStdin("", args);
    }

    Run runWithStdin(String stdin, String... args) {
        String[] withController = new String[args.length + 2];
        System.arraycopy(args, 0, withController, 0, args.length);
        withController[args.length] = "--controller";
        withController[args.length + 1] = apiAddress();
        return runRaw(stdin, withController);
    }

    /** Runs {@code meshdeck ARGS} exactly as given. */
    static Run runRaw(String stdin, String... args) {
        CommandLine cl = MeshdeckCommand.commandLine();
        ApplyCommand apply = cl.getSubcommands().get("apply").getCommand();
        apply.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
