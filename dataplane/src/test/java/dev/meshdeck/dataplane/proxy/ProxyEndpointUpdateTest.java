package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EDS updates (a cluster whose endpoints alone change) on real sockets: state is kept, removed endpoints drain. */
@ExtendWith(LeakGuard.class)
class ProxyEndpointUpdateTest {
    private final Stats stats = new Stats();
    private final AtomicInteger balancersMade = new AtomicInteger();
    private TestBackend v1;
    private TestBackend v2;
    private SidecarProxy proxy;

    @BeforeEach
    void start() {
        v1 = new TestBackend("v1");
        v2 = new TestBackend("v2");
        proxy = Proxies.proxy(Proxies.counting(Proxies.balancers(stats), balancersMade),
                ProxyOptions.DEFAULTS.withIoThreads(1), stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        v1.close();
        v2.close();
    }

    private static ProxyConfig cluster(ClusterConfig.OutlierDetection outliers, int... ports) {
        List<Endpoint> eps = new ArrayList<>();
        for (int p : ports) {
            eps.add(new Endpoint("127.0.0.1", p, 1));
        }
        return Configs.builder().cluster(new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0,
                Duration.ofSeconds(2), null, outliers, eps)).host("c", "c").build();
    }

    @Test
    void anAddedEndpointJoinsWhileTheOtherKeepsItsPooledConnectionAndTheBalancerStays() throws Exception {
        proxy.update(cluster(null, v1.port()));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").headers()).containsEntry("x-backend", "v1");

            proxy.update(cluster(null, v1.port(), v2.port()));

            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(c.get("c", "/").headers().get("x-backend"));
            }
            assertThat(seen).containsExactlyInAnyOrder("v1", "v2");
        }
        assertThat(v1.connections()).isEqualTo(1);
        assertThat(balancersMade).hasValue(1);
    }

    @Test
    void aRemovedEndpointFinishesItsRequestInFlightThenItsConnectionCloses() throws Exception {
        proxy.update(cluster(null, v1.port()));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
            await().until(() -> v1.bodyBytes() == 5);

            proxy.update(cluster(null, v2.port()));
            c.send("67890");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("x-backend", "v1");
            assertThat(r.body()).contains("received 10 bytes");

            await().until(() -> v1.openConnections() == 0);
            assertThat(c.get("c", "/").headers()).containsEntry("x-backend", "v2");
        }
        assertThat(balancersMade).hasValue(1);
    }

    @Test
    void anEjectedEndpointStaysEjectedAcrossAnEndpointUpdate() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        var outliers = ClusterConfig.OutlierDetection.builder().consecutive5xx(1, 100).enforcingSuccessRate(0)
                .maxEjectionPercent(100).build();
        proxy.update(cluster(outliers, dead, v1.port()));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        String active = "cluster.c.outlier_detection.ejections_active";
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 4 && stats.counterValues().getOrDefault(active, 0L) == 0; i++) {
                c.get("c", "/");
            }
            assertThat(stats.counterValues()).containsEntry(active, 1L);

            proxy.update(cluster(outliers, dead, v1.port(), v2.port()));

            for (int i = 0; i < 10; i++) {
                assertThat(c.get("c", "/").status()).isEqualTo(200);
            }
        }
        assertThat(stats.counterValues()).containsEntry(active, 1L)
                .containsEntry("cluster.c.outlier_detection.ejections_enforced_total", 1L);
        assertThat(balancersMade).hasValue(1);
    }
}
