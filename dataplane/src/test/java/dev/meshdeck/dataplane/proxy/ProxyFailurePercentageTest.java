package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.admin.ClustersFormat;
import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failure-percentage ejection on real sockets: the proxy's interval timer finds the endpoint that refuses. */
@ExtendWith(LeakGuard.class)
class ProxyFailurePercentageTest {
    private static final String STATS = "cluster.c.outlier_detection.";
    private final Stats stats = new Stats();
    private final List<TestBackend> backends = new ArrayList<>();
    private SidecarProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void anEndpointThatRefusesEveryConnectionIsEjectedAtTheEndOfAnIntervalAndTheOthersServeEveryRequest()
            throws Exception {
        int refusing;
        try (ServerSocket s = new ServerSocket(0)) {
            refusing = s.getLocalPort();
        }
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(new Endpoint("127.0.0.1", refusing, 1));
        for (int i = 1; i <= 4; i++) {
            TestBackend b = new TestBackend("v" + i);
            backends.add(b);
            endpoints.add(new Endpoint("127.0.0.1", b.port(), 1));
        }
        // Only failure percentage ejects: no consecutive detectors, success rate not enforced.
        var outliers = ClusterConfig.OutlierDetection.builder().consecutive5xx(0, 0).enforcingSuccessRate(0)
                .enforcingFailurePercentage(100).failurePercentage(5, 10, 85)
                .interval(Duration.ofMillis(200)).baseEjectionTime(Duration.ofSeconds(60)).build();
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
        proxy.update(Configs.builder().cluster(new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0,
                Duration.ofSeconds(2), null, outliers, endpoints)).host("c", "c").build());
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();

        try (RawHttp c = new RawHttp(port)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int sent = 0;
            while (enforced() == 0 && sent < 5000 && System.nanoTime() < deadline) {
                c.get("c", "/");
                sent++;
            }
            assertThat(enforced()).isEqualTo(1);
            assertThat(stats.counterValues()).containsEntry(STATS + "ejections_active", 1L)
                    .containsEntry(STATS + "ejections_enforced_total", 1L);

            Set<String> served = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                RawHttp.Response r = c.get("c", "/");
                assertThat(r.status()).isEqualTo(200);
                served.add(r.headers().get("x-backend"));
            }
            assertThat(served).containsExactlyInAnyOrder("v1", "v2", "v3", "v4");
        }
        // The admin endpoint's /clusters tells which endpoint it is, and what its tries and connections met.
        List<ClusterStatus> statuses = proxy.clusterStatuses();
        assertThat(ClustersFormat.text(statuses)).startsWith("c::added_via_api::true\n")
                .contains("c::127.0.0.1:" + refusing + "::health_flags::/failed_outlier_check\n",
                        "c::127.0.0.1:" + endpoints.get(1).port() + "::health_flags::healthy\n",
                        "c::127.0.0.1:" + endpoints.get(1).port() + "::weight::1\n",
                        "c::127.0.0.1:" + endpoints.get(1).port() + "::rq_active::0\n");
        ClusterStatus.EndpointStatus refused = endpoint(statuses, refusing);
        assertThat(refused.cxConnectFail()).as("every connection to the refusing endpoint failed")
                .isPositive().isEqualTo(refused.cxTotal()).isEqualTo(refused.tries().error())
                .isEqualTo(refused.tries().total());
        assertThat(refused.cxActive()).isZero();
        ClusterStatus.EndpointStatus serving = endpoint(statuses, endpoints.get(1).port());
        assertThat(serving.tries().success()).isPositive().isEqualTo(serving.tries().total());
        assertThat(serving.tries().error()).isZero();
        assertThat(serving.cxConnectFail()).isZero();
        assertThat(serving.cxActive()).isPositive().isLessThanOrEqualTo(serving.cxTotal());
    }

    private static ClusterStatus.EndpointStatus endpoint(List<ClusterStatus> statuses, int port) {
        return statuses.get(0).endpoints().stream().filter(e -> e.port() == port).findFirst().orElseThrow();
    }

    private long enforced() {
        return stats.counterValues().getOrDefault(STATS + "ejections_enforced_failure_percentage", 0L);
    }
}
