package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.grpc.ApiServer;
import dev.meshdeck.controller.workspace.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ControllerCommandTest {
    @TempDir
    Path tmp;

    /**
     * Stands in for the lead's launcher of the real controller (not written yet): serves the API over a
     * {@link TestControlPlane} in the workspace it is given; xDS is not served.
     */
    private final List<ControllerOptions> started = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final ControllerLauncher testLauncher = options -> {
        started.add(options);
        TestControlPlane cp = new TestControlPlane(options.workspace());
        ApiServer api;
        try {
            api = ApiServer.start(cp, options.apiListen(), options.insecureApi());
        } catch (IOException | RuntimeException e) {
            cp.close();
            throw e;
        }
        return new RunningController(() -> {
            api.close();
            cp.close();
            closed.add("closed");
        }, options.xdsListen().toString(), api.address(), cp.status().revision());
    };

    private final CountDownLatch stop = new CountDownLatch(1);
    private final StopSignal latchSignal = new StopSignal() {
        @Override
        public void awaitStop() throws InterruptedException {
            stop.await();
        }

        @Override
        public void stopped() {
        }
    };

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine commandLine(ControllerLauncher launcher) {
        CommandLine cl = MeshdeckCommand.commandLine(launcher, () -> latchSignal);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @Test
    void startsPrintsWhereItListensAndStopsWhenSignalled() {
        Path ws = tmp.resolve("ws");
        CommandLine cl = commandLine(testLauncher);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("controller",
                "--listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--workspace", ws.toString()));
        await().until(() -> out.toString().contains("\n"));
        assertThat(out.toString()).matches("meshdeck controller: xDS on 127\\.0\\.0\\.1:0, API on 127\\.0\\.0\\.1:\\d+, workspace "
                + java.util.regex.Pattern.quote(ws.toAbsolutePath().toString()) + ", revision 0\n");
        String api = out.toString().replaceAll("(?s).*API on (\\S+),.*", "$1");
        assertThat(CliFixture.runRaw("", "status", "--controller", api).out()).startsWith("controller test at " + api);
        assertThat(started).containsExactly(new ControllerOptions(Optional.empty(), dev.meshdeck.controller.api.grpc.HostPort.parse("127.0.0.1:0"),
                dev.meshdeck.controller.api.grpc.HostPort.parse("127.0.0.1:0"), ws.toAbsolutePath(), false));
        stop.countDown();
        assertThat(exit.join()).isZero();
        assertThat(closed).hasSize(1);
        assertThat(out.toString()).endsWith("meshdeck controller: stopping\n");
    }

    @Test
    void badAddressesAndAnExposedApiAreUsageErrors() {
        assertThat(commandLine(testLauncher).execute("controller", "--listen", "15010")).isEqualTo(2);
        assertThat(err.toString()).startsWith("--listen: '15010' (expected: HOST:PORT");
        assertThat(commandLine(testLauncher).execute("controller", "--api-listen", "0.0.0.0:15020")).isEqualTo(2);
        assertThat(err.toString()).contains("--api-listen 0.0.0.0:15020: not a loopback address").contains("--insecure-api");
        assertThat(commandLine(testLauncher).execute("controller", "--config", tmp.resolve("none.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--config " + tmp.resolve("none.yaml") + ": no such file or directory");
        assertThat(started).isEmpty();
    }

    @Test
    void aWorkspaceInUseIsAOneLineFailure() throws IOException {
        Path ws = tmp.resolve("ws");
        try (Workspace held = Workspace.open(ws)) {
            int code = commandLine(testLauncher).execute("controller", "--api-listen", "127.0.0.1:0",
                    "--workspace", ws.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).startsWith("meshdeck controller: workspace " + held.directory()
                    + " is in use by another meshdeck controller");
            assertThat(err.toString().lines()).hasSize(1);
        }
    }
}
