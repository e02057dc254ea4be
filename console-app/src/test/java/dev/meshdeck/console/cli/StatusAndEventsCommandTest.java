package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.api.ProxyStatus.TypeSync;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusAndEventsCommandTest extends CliFixture {
    private static final TypeSync SYNCED = new TypeSync("v1", "v1", "", SyncState.SYNCED);

    @Test
    void showsTheControllerAndAProxyTableWithNackReasons() {
        controlPlane.setProxies(List.of(
                new ProxyStatus("sidecar~127.0.0.1~reviews-v2.default", "reviews", "default", Map.of("version", "v2"),
                        "127.0.0.1:15006", true,
                        Map.of("CDS", SYNCED, "LDS", new TypeSync("l2", "l1", "listener 'outbound': unknown filter", SyncState.NACKED),
                                "EDS", new TypeSync("e2", "e1", "", SyncState.STALE), "RDS", SYNCED), Instant.EPOCH),
                new ProxyStatus("grpc~loadgen", "", "default", Map.of(), "", false,
                        Map.of("LDS", SYNCED, "RDS", new TypeSync("", "", "", SyncState.NOT_SENT)), null)));
        Run r = run("status");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                controller test at %s, xDS on 127.0.0.1:15010, revision 0, up since 2026-11-24T09:00:00Z
                proxies: 2 (1 connected, 1 NACKed)

                NAME                                   SERVICE   VERSION   CDS      LDS      EDS     RDS
                grpc~loadgen (gone)                    -         -         -        SYNCED   -       -
                sidecar~127.0.0.1~reviews-v2.default   reviews   v2        SYNCED   NACKED   STALE   SYNCED

                NACK reasons:
                  sidecar~127.0.0.1~reviews-v2.default LDS (version l2): listener 'outbound': unknown filter
                """.formatted(server.address()));
    }

    @Test
    void aControllerThatCannotBeReachedIsOneClearLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = runRaw("", "status", "--controller", "127.0.0.1:" + port);
        assertThat(r).isEqualTo(new Run(1, "", "cannot reach controller at 127.0.0.1:" + port
                + ": connection refused; start one with `meshdeck controller`\n"));
        assertThat(runRaw("", "status", "--controller", "nowhere").exitCode()).isEqualTo(2);
    }

    @Test
    void followsEventsUntilTheControllerStops() {
        CommandLine cl = MeshdeckCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("events", "--controller", server.address()));
        await().until(() -> controlPlane.subscribers() == 1);
        controlPlane.publish(new MeshEvent(Instant.parse("2026-11-24T10:00:00Z"), MeshEvent.Type.PROXY_CONNECTED,
                "sidecar~a", "reviews v2 connected"));
        controlPlane.publish(new MeshEvent(Instant.parse("2026-11-24T10:00:02Z"), MeshEvent.Type.PROXY_GONE, "sidecar~a", ""));
        await().until(() -> out.toString().contains("PROXY_GONE"));
        server.close();
        assertThat(exit.join()).isZero();
        assertThat(out.toString()).isEqualTo("""
                following events from %s (revision 0); Ctrl-C to stop
                2026-11-24T10:00:00Z  PROXY_CONNECTED  sidecar~a: reviews v2 connected
                2026-11-24T10:00:02Z  PROXY_GONE  sidecar~a
                """.formatted(server.address()));
        assertThat(err.toString()).isEqualTo("the controller closed the event stream\n");
    }
}
