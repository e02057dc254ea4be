package dev.meshdeck.console.cli;

import dev.meshdeck.controller.bench.SimulatedSidecars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.MeshController;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.bench.SimulatedProxy;
import io.envoyproxy.controlplane.cache.Resources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusCommandTest extends CliFixture {
    private SimulatedSidecars sidecars;

    /** Long enough that a sidecar that went away is still listed, as gone, while the test looks. */
    @Override
    Duration grace() {
        return Duration.ofMinutes(1);
    }

    @BeforeEach
    void bookinfo() throws IOException {
        controlPlane.apply(List.of(source("bookinfo/destination-rule-all.yaml"), source("bookinfo/virtual-service-all-v1.yaml")),
                false, false);
        sidecars = new SimulatedSidecars(controller.xdsPort());
    }

    @AfterEach
    void closeSidecars() throws Exception {
        sidecars.close();
    }

    @Test
    void showsTheControllerAndAProxyTableWithNackReasons() {
        SimulatedProxy details = sidecars.connect("details", "v1", 9081, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().until(() -> controlPlane.proxies().size() == 1
                && controlPlane.proxies().get(0).overall() == SyncState.SYNCED);
        // Gone before the others joined: its endpoints moved on without it, so its EDS is STALE.
        details.cancel();
        sidecars.connect("reviews", "v2", 9082, SimulatedProxy.Reviewer.ACCEPT_ALL);
        sidecars.connect("ratings", "v1", 9083, SimulatedSidecars.rejecting(Resources.V3.ROUTE_TYPE_URL, "route rejected by the test"));

        await().untilAsserted(() -> {
            List<ProxyStatus> proxies = controlPlane.proxies();
            String nackedVersion = proxies.stream().filter(p -> p.service().equals("ratings")).findFirst()
                    .map(p -> p.types().get("RDS").sent()).orElse("?");
            String started = DateTimeFormatter.ISO_INSTANT.format(controlPlane.status().started().truncatedTo(ChronoUnit.SECONDS));
            assertThat(run("status")).isEqualTo(new Run(0, """
                    controller %s at %s, xDS on 127.0.0.1:%d, revision 1, up since %s
                    mesh CA: trust domain cluster.local, root SHA-256 %s, valid until %s
                    proxies: 3 (2 connected, 1 NACKed)

                    NAME                                          SERVICE   VERSION   CDS      LDS      EDS      RDS
                    sidecar~127.0.0.1~details-v1.default (gone)   details   v1        SYNCED   SYNCED   STALE    SYNCED
                    sidecar~127.0.0.1~ratings-v1.default          ratings   v1        SYNCED   SYNCED   SYNCED   NACKED
                    sidecar~127.0.0.1~reviews-v2.default          reviews   v2        SYNCED   SYNCED   SYNCED   SYNCED

                    NACK reasons:
                      sidecar~127.0.0.1~ratings-v1.default RDS (version %s): route rejected by the test
                    """.formatted(MeshController.version(), apiAddress(), controller.xdsPort(), started,
                    controller.ca().root().fingerprint(),
                    DateTimeFormatter.ISO_INSTANT.format(controller.ca().root().notAfter().truncatedTo(ChronoUnit.SECONDS)),
                    nackedVersion), ""));
        });
    }

    @Test
    void withoutProxiesItShowsTheControllerOnly() {
        Run r = run("status");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).matches("controller \\S+ at " + apiAddress().replace(".", "\\.") + ", xDS on 127\\.0\\.0\\.1:"
                + controller.xdsPort() + ", revision 1, up since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n"
                + "mesh CA: trust domain cluster\\.local, root SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}, valid until \\S+Z\n"
                + "proxies: 0 \\(0 connected, 0 NACKed\\)\n");
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
}
