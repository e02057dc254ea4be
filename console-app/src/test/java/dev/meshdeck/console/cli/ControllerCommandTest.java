package dev.meshdeck.console.cli;

import dev.meshdeck.controller.bench.SimulatedSidecars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.bench.SimulatedProxy;
import dev.meshdeck.controller.workspace.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshdeck controller} with the real launcher, stopped by a latch instead of Ctrl-C. */
class ControllerCommandTest {
    @TempDir
    Path tmp;

    private final LatchStopSignal latchSignal = new LatchStopSignal();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A test that failed half way must not leave its controller running. */
    @AfterEach
    void stopTheController() {
        latchSignal.pull();
    }

    private CommandLine commandLine() {
        CommandLine cl = MeshdeckCommand.commandLine(new ControllerServerLauncher(), () -> latchSignal);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @Test
    void startsWithItsConfigPrintsWhereItListensServesTheApiAndXdsAndStopsWhenSignalled() throws Exception {
        Path config = Files.createDirectory(tmp.resolve("config"));
        for (String name : new String[] {"destination-rule-all.yaml", "virtual-service-all-v1.yaml"}) {
            Files.writeString(config.resolve(name), CliFixture.fixture("bookinfo/" + name));
        }
        Path ws = tmp.resolve("ws");
        CommandLine cl = commandLine();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("controller", "--config", config.toString(),
                "--listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--workspace", ws.toString()));
        await().until(() -> out.toString().contains("\n") || exit.isDone());

        Matcher started = Pattern.compile("meshdeck controller: xDS on 127\\.0\\.0\\.1:(\\d+), API on (127\\.0\\.0\\.1:\\d+), workspace "
                + Pattern.quote(ws.toAbsolutePath().toString()) + ", revision 1\n").matcher(out.toString());
        assertThat(started.matches()).as("started line: %s%s", out, err).isTrue();
        int xdsPort = Integer.parseInt(started.group(1));
        String api = started.group(2);
        assertThat(xdsPort).isPositive();
        assertThat(api).doesNotEndWith(":0");

        Path split = Files.writeString(tmp.resolve("reviews-80-20.yaml"), CliFixture.fixture("bookinfo/virtual-service-reviews-80-20.yaml"));
        assertThat(CliFixture.runRaw("", "apply", "-f", split.toString(), "--controller", api))
                .isEqualTo(new CliFixture.Run(0, "applied revision 2\n", ""));
        try (SimulatedSidecars sidecars = new SimulatedSidecars(xdsPort)) {
            sidecars.connect("reviews", "v2", 9082, SimulatedProxy.Reviewer.ACCEPT_ALL);
            await().until(() -> CliFixture.runRaw("", "status", "--controller", api).out()
                    .contains("proxies: 1 (1 connected, 0 NACKed)"));
            String status = CliFixture.runRaw("", "status", "--controller", api).out();
            assertThat(status).startsWith("controller ").contains(" at " + api + ", xDS on 127.0.0.1:" + xdsPort + ", revision 2,")
                    .containsPattern("sidecar~127\\.0\\.0\\.1~reviews-v2\\.default +reviews +v2 ");
        }

        latchSignal.pull();
        assertThat(exit.join()).isZero();
        assertThat(latchSignal.commandStopped()).isTrue();
        assertThat(out.toString()).endsWith("meshdeck controller: stopping\n");
        assertThat(err.toString()).isEmpty();
        assertThat(CliFixture.runRaw("", "status", "--controller", api).err()).startsWith("cannot reach controller at " + api);
        try (Workspace released = Workspace.open(ws)) {
            assertThat(released.currentInfo().number()).isEqualTo(2);
        }
    }

    @Test
    void anInvalidConfigStopsTheStartWithItsErrors() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), CliFixture.fixture("more/two-errors.yaml"));
        int code = commandLine().execute("controller", "--config", bad.toString(), "--listen", "127.0.0.1:0",
                "--api-listen", "127.0.0.1:0", "--workspace", tmp.resolve("ws").toString());
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("meshdeck controller: --config " + bad + " is not valid; nothing was applied:\n")
                .contains(bad + ":2: document 1: kind: kind Gateway is not supported by Meshdeck")
                .contains(bad + ":15: document 2 (VirtualService default/reviews): spec.http[0].route[0].weight: 120");
        assertThat(latchSignal.commandStopped()).isTrue();
    }

    @Test
    void badAddressesAndAnExposedApiAreUsageErrors() {
        Path ws = tmp.resolve("ws");
        assertThat(commandLine().execute("controller", "--listen", "15010", "--workspace", ws.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("--listen: '15010' (expected: HOST:PORT");
        assertThat(commandLine().execute("controller", "--api-listen", "0.0.0.0:15020", "--workspace", ws.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--api-listen 0.0.0.0:15020: not a loopback address").contains("--insecure-api");
        assertThat(commandLine().execute("controller", "--config", tmp.resolve("none.yaml").toString(),
                "--workspace", ws.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--config " + tmp.resolve("none.yaml") + ": no such file or directory");
        assertThat(ws).as("nothing was started").doesNotExist();
    }

    @Test
    void aWorkspaceInUseIsAOneLineFailure() throws IOException {
        Path ws = tmp.resolve("ws");
        try (Workspace held = Workspace.open(ws)) {
            int code = commandLine().execute("controller", "--listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0",
                    "--workspace", ws.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).startsWith("meshdeck controller: workspace " + held.directory()
                    + " is in use by another meshdeck controller");
            assertThat(err.toString().lines()).hasSize(1);
        }
    }
}
