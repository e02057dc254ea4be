package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.H2cBackend;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Circuit breakers and the upstream's MAX_CONCURRENT_STREAMS for HTTP/2 upstream connections. */
@ExtendWith(LeakGuard.class)
class ProxyHttp2UpstreamLimitsTest {
    private final Stats stats = new Stats();
    private H2cBackend app;
    private SidecarProxy proxy;

    @BeforeEach
    void start() {
        app = new H2cBackend(1, 150);
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        app.close();
    }

    private int listen(ClusterConfig.CircuitBreakers breakers) {
        proxy.update(Configs.builder()
                .cluster(new ClusterConfig("h2", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), breakers,
                        null, List.of(new Endpoint("127.0.0.1", app.port(), 1)), null,
                        ClusterConfig.UpstreamProtocol.HTTP2))
                .host("h2", "h2").build());
        return proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    /** {@code n} requests at once, each on its own client connection and thread (started together). */
    private List<CompletableFuture<RawHttp.Response>> concurrently(int port, int n) {
        List<CompletableFuture<RawHttp.Response>> out = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            String path = "/r" + i;
            CompletableFuture<RawHttp.Response> f = new CompletableFuture<>();
            out.add(f);
            Thread.ofPlatform().start(() -> {
                try (RawHttp c = new RawHttp(port)) {
                    go.await();
                    f.complete(c.get("h2", path));
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
        }
        go.countDown();
        return out;
    }

    @Test
    void anHttp11RequestGoesToAnH2cCluster() throws Exception {
        int port = listen(new ClusterConfig.CircuitBreakers(1, 100, 100, 3));
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.get("h2", "/one");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r = c.get("h2", "/two");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
    }

    @Test
    void maxConnectionsHoldsForHttp2AndRequestsWaitForAStreamOfTheUpstreamsLimit() throws Exception {
        int port = listen(new ClusterConfig.CircuitBreakers(1, 100, 100, 3));

        List<CompletableFuture<RawHttp.Response>> calls = concurrently(port, 4);

        for (CompletableFuture<RawHttp.Response> f : calls) {
            RawHttp.Response r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).startsWith("h2 /r");
        }
        assertThat(app.connections()).isEqualTo(1);
        assertThat(app.maxConcurrentStreamsSeen()).isEqualTo(1);
        assertThat(stats.counterValues()).containsEntry("cluster.h2.upstream_cx_total", 1L)
                .containsEntry("cluster.h2.upstream_rq_2xx", 4L);
    }

    @Test
    void aPoolWithNoConnectionOpensOneEvenWhenOtherEventLoopsHoldEveryConnection() throws Exception {
        proxy.close();
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(2), stats);
        int port = listen(new ClusterConfig.CircuitBreakers(1, 100, 100, 3));

        List<CompletableFuture<RawHttp.Response>> calls = concurrently(port, 4);

        for (CompletableFuture<RawHttp.Response> f : calls) {
            assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(app.connections()).isBetween(1, 2);
    }

    @Test
    void withRoomForConnectionsAFullConnectionMakesAnotherOne() throws Exception {
        int port = listen(new ClusterConfig.CircuitBreakers(2, 100, 100, 3));

        List<CompletableFuture<RawHttp.Response>> calls = concurrently(port, 4);

        for (CompletableFuture<RawHttp.Response> f : calls) {
            assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(app.connections()).isLessThanOrEqualTo(2);
        assertThat(app.maxConcurrentStreamsSeen()).isEqualTo(1);
    }

    @Test
    void requestsBeyondMaxPendingRequestsAreRefusedWhileConnectionsAndStreamsAreFull() throws Exception {
        int port = listen(new ClusterConfig.CircuitBreakers(1, 1, 100, 3));

        List<CompletableFuture<RawHttp.Response>> calls = concurrently(port, 6);

        int ok = 0;
        int overflow = 0;
        for (CompletableFuture<RawHttp.Response> f : calls) {
            RawHttp.Response r = f.get(30, TimeUnit.SECONDS);
            if (r.status() == 200) {
                ok++;
            } else {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.headers()).containsEntry("x-envoy-overloaded", "true");
                overflow++;
            }
        }
        assertThat(ok).isPositive();
        assertThat(overflow).isPositive();
        assertThat(ok + overflow).isEqualTo(6);
        assertThat(app.connections()).isEqualTo(1);
        assertThat(app.maxConcurrentStreamsSeen()).isEqualTo(1);
    }
}
