package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.grpc.HostPort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code meshdeck sidecar} against a real controller, stopped by a latch or by its admin endpoint. */
class SidecarCommandTest {
    @TempDir
    Path tmp;

    private final LatchStopSignal latchSignal = new LatchStopSignal();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ControllerServer controller;

    @AfterEach
    void stopAll() {
        latchSignal.pull();
        if (controller != null) {
            controller.close();
        }
    }

    /** The meshdeck command line, stopped by the latch, printing into {@link #out} and {@link #err}. */
    private CommandLine commandLine() {
        CommandLine cl = MeshdeckCommand.commandLine(new ControllerServerLauncher(), () -> latchSignal);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @Test
    void connectsPrintsItsRealPortsIsSyncedAndStopsOnQuitquitquit() throws Exception {
        controller = ControllerServer.start(new ControllerServer.Settings(Optional.empty(), HostPort.parse("127.0.0.1:0"),
                Optional.empty(), tmp.resolve("ws"), false, Duration.ofSeconds(10)));
        CommandLine cl = commandLine();

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("sidecar",
                "--service", "reviews", "--version", "v2", "--app-port", "9080",
                "--controller", "127.0.0.1:" + controller.xdsPort(),
                "--outbound-port", "0", "--inbound-port", "0", "--admin-port", "0", "--metrics-port", "0"));

        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("meshdeck sidecar: reviews v2"));
        Matcher m = Pattern.compile("meshdeck sidecar: reviews v2 \\(default\\), outbound 127\\.0\\.0\\.1:(\\d+),"
                + " inbound 127\\.0\\.0\\.1:(\\d+) -> app 127\\.0\\.0\\.1:9080, admin 127\\.0\\.0\\.1:(\\d+),"
                + " controller 127\\.0\\.0\\.1:\\d+, metrics 127\\.0\\.0\\.1:(\\d+)\\n").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> controller.controlPlane().proxies().stream()
                .anyMatch(p -> p.service().equals("reviews") && p.overall() == ProxyStatus.SyncState.SYNCED));

        HttpClient http = HttpClient.newHttpClient();
        URI admin = URI.create("http://127.0.0.1:" + m.group(3));
        assertThat(http.send(HttpRequest.newBuilder(admin.resolve("/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("LIVE\n");
        URI metrics = URI.create("http://127.0.0.1:" + m.group(4));
        assertThat(http.send(HttpRequest.newBuilder(metrics.resolve("/stats/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("# TYPE envoy_http_downstream_cx_total counter");
        assertThat(http.send(HttpRequest.newBuilder(metrics.resolve("/quitquitquit")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("the metrics port serves metrics only")
                .isEqualTo(404);
        List<MeshEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = controller.controlPlane().subscribe(events::add)) {
            http.send(HttpRequest.newBuilder(admin.resolve("/quitquitquit")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(exit.get()).isZero();
            assertThat(out.toString()).endsWith("meshdeck sidecar: stopped\n");
            // It said goodbye: the controller let it go at once, not after the grace period of a broken stream.
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                    .anyMatch(e -> e.type() == MeshEvent.Type.PROXY_GONE));
            assertThat(events).filteredOn(e -> e.type() == MeshEvent.Type.PROXY_GONE).singleElement()
                    .satisfies(e -> assertThat(e.message()).endsWith("gone: it closed its stream (a sidecar that stops)"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "--metrics-port, 'cannot serve metrics on 127.0.0.1:%d (--metrics-port): '",
        "--outbound-port, 'cannot listen on 127.0.0.1:%d for the outbound listener: '"})
    void aPortThatIsTakenFailsTheCommandSayingWhichOne(String option, String message) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> args = new ArrayList<>(List.of("sidecar", "--service", "reviews", "--version", "v2",
                    "--app-port", "9080", "--controller", "127.0.0.1:1", "--outbound-port", "0", "--inbound-port", "0",
                    "--admin-port", "0", "--metrics-port", "0"));
            args.set(args.indexOf(option) + 1, String.valueOf(taken.getLocalPort()));

            int code = commandLine().execute(args.toArray(String[]::new));

            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains(message.formatted(taken.getLocalPort()));
        }
    }

    @Test
    void refusesADrainTimeThatIsNotADurationAsAUsageError() {
        CommandLine cl = commandLine();

        int code = cl.execute("sidecar", "--service", "reviews", "--version", "v2", "--app-port", "9080",
                "--controller", "127.0.0.1:15010", "--drain-time", "soon");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--drain-time: duration \"soon\" is not a duration");
    }

    @Test
    void refusesABadControllerAddressAsAUsageError() {
        CommandLine cl = commandLine();

        int code = cl.execute("sidecar", "--service", "reviews", "--version", "v2", "--app-port", "9080",
                "--controller", "nowhere");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--controller nowhere");
    }

    @Test
    void refusesATrustDomainSpiffeDoesNotAllowAsAUsageError() {
        CommandLine cl = commandLine();

        int code = cl.execute("sidecar", "--service", "reviews", "--version", "v2", "--app-port", "9080",
                "--controller", "127.0.0.1:15010", "--trust-domain", "Mesh/Local");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("trust domain 'Mesh/Local'");
    }
}
