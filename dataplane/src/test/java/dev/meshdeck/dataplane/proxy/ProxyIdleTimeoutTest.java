package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.RawHttp2;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Idle timeouts of client connections (the listener's) and pooled upstream connections (the cluster's). */
@ExtendWith(LeakGuard.class)
class ProxyIdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    private final Stats stats = new Stats();
    private TestBackend app;
    private SidecarProxy proxy;

    @BeforeEach
    void start() {
        app = new TestBackend("app");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        app.close();
    }

    private int listen(Duration listenerIdle, Duration clusterIdle) {
        proxy.update(Configs.builder().idleTimeout(listenerIdle)
                .cluster(new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null,
                        null, List.of(new Endpoint("127.0.0.1", app.port(), 1)), clusterIdle, null))
                .host("c", "c").build());
        return proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    private Map<String, Long> counters() {
        return stats.counterValues();
    }

    @Test
    void aKeptAliveClientConnectionIdleLongerThanTheTimeoutIsClosed() throws Exception {
        int port = listen(IDLE, Duration.ZERO);
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").status()).isEqualTo(200);

            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(counters()).containsEntry("http.outbound.downstream_cx_idle_timeout", 1L);
    }

    @Test
    void aClientConnectionWithARequestInFlightIsNeverIdle() throws Exception {
        int port = listen(IDLE, Duration.ZERO);
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
            await().until(() -> app.bodyBytes() == 5);
            // silent both ways for three idle timeouts, and no idle timeout counted all that time
            await().during(IDLE.multipliedBy(3)).atMost(IDLE.multipliedBy(3).plusSeconds(10))
                    .until(() -> counters().getOrDefault("http.outbound.downstream_cx_idle_timeout", 0L) == 0L);
            c.send("67890");

            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("received 10 bytes");
        }
        assertThat(counters().getOrDefault("http.outbound.downstream_cx_idle_timeout", 0L)).isZero();
    }

    @Test
    void anIdleHttp2ClientConnectionGetsAGoAwayAndIsClosed() throws Exception {
        int port = listen(IDLE, Duration.ZERO);
        try (RawHttp2 c = new RawHttp2(port)) {
            List<Integer> frameTypes = c.readUntil(-1);

            assertThat(frameTypes).contains(RawHttp2.GOAWAY);
            assertThat(frameTypes.get(frameTypes.size() - 1)).isEqualTo(RawHttp2.GOAWAY);
        }
        assertThat(counters()).containsEntry("http.outbound.downstream_cx_idle_timeout", 1L);
    }

    @Test
    void aPooledUpstreamConnectionIdleLongerThanTheClustersTimeoutIsClosedAndLeavesThePool() throws Exception {
        int port = listen(Duration.ZERO, IDLE);
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").status()).isEqualTo(200);
            assertThat(app.openConnections()).isEqualTo(1);

            await().until(() -> app.openConnections() == 0);
            await().until(() -> proxy.upstreamConnections("c").orElseThrow() == 0);

            // The client connection (no listener timeout) is still open, and the next request opens a new connection.
            assertThat(c.get("c", "/").status()).isEqualTo(200);
        }
        assertThat(app.connections()).isEqualTo(2);
        assertThat(counters()).containsEntry("cluster.c.upstream_cx_idle_timeout", 1L);
    }

    @Test
    void aPooledConnectionBusyWithARequestIsNeverIdle() throws Exception {
        int port = listen(Duration.ZERO, IDLE);
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
            await().until(() -> app.bodyBytes() == 5);
            await().during(IDLE.multipliedBy(3)).atMost(IDLE.multipliedBy(3).plusSeconds(10))
                    .until(() -> counters().getOrDefault("cluster.c.upstream_cx_idle_timeout", 0L) == 0L);
            c.send("67890");

            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(app.connections()).isEqualTo(1);
    }
}
