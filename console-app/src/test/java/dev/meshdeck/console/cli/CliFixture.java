package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.grpc.ApiServer;
import dev.meshdeck.controller.api.grpc.HostPort;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code meshdeck} commands as a user would, against a real API server on a loopback ephemeral port,
 * backed by {@link TestControlPlane} (a test double of the controller until the real one exists).
 */
abstract class CliFixture {
    static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
            """;
    static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: prod
            spec:
              host: reviews
            """;

    @TempDir
    Path tmp;
    TestControlPlane controlPlane;
    ApiServer server;

    /** What one command run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startController() throws IOException {
        controlPlane = new TestControlPlane(tmp.resolve("workspace"));
        server = ApiServer.start(controlPlane, new HostPort("127.0.0.1", 0), false);
    }

    @AfterEach
    void stopController() throws IOException {
        server.close();
        controlPlane.close();
    }

    /** Runs {@code meshdeck ARGS --controller <the test server>}. */
    Run run(String... args) {
        return runWithStdin("", args);
    }

    Run runWithStdin(String stdin, String... args) {
        String[] withController = new String[args.length + 2];
        System.arraycopy(args, 0, withController, 0, args.length);
        withController[args.length] = "--controller";
        withController[args.length + 1] = server.address();
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
