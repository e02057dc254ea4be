package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakGuard.class)
class ProxyConfigUpdateTest {
    private final Stats stats = new Stats();
    private TestBackend v1;
    private TestBackend v2;
    private SidecarProxy proxy;
    private final AtomicInteger balancersMade = new AtomicInteger();

    @BeforeEach
    void start() {
        v1 = new TestBackend("v1");
        v2 = new TestBackend("v2");
        proxy = Proxies.proxy(Proxies.counting(Proxies.balancers(stats), balancersMade), ProxyOptions.DEFAULTS, stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        v1.close();
        v2.close();
    }

    private static ProxyConfig pointing(String version, TestBackend backend) {
        return Configs.builder().cluster("reviews-" + version, backend.port()).cluster("stable", backend.port())
                .host("reviews", "reviews-" + version).host("stable", "stable").build();
    }

    @Test
    void swappingTheConfigDuringLoadFailsNoRequest() throws Exception {
        proxy.update(pointing("v1", v1));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                try (RawHttp c = new RawHttp(port)) {
                    while (running.get()) {
                        RawHttp.Response r = c.get("reviews", "/");
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(r.status() + " " + r.body());
                        }
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }));
        }
        started.await();
        for (int i = 0; i < 10; i++) {
            int before = ok.get();
            proxy.update(i % 2 == 0 ? pointing("v2", v2) : pointing("v1", v1));
            Awaitility.await().until(() -> ok.get() >= before + 20);
        }
        running.set(false);
        for (Thread t : clients) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(proxy.port(Configs.OUTBOUND)).hasValue(port);
        // The tenth update (i = 9) pointed back at v1.
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("reviews", "/").headers()).containsEntry("x-backend", "v1");
        }
    }

    @Test
    void keepsTheLoadBalancerOfAnUnchangedCluster() {
        proxy.update(pointing("v1", v1));
        assertThat(balancersMade).hasValue(2);
        proxy.update(pointing("v2", v1));
        // "stable" is unchanged; "reviews-v2" is new.
        assertThat(balancersMade).hasValue(3);
    }

    @Test
    void keepsPooledConnectionsOfAnUnchangedCluster() throws Exception {
        proxy.update(pointing("v1", v1));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("stable", "/").status()).isEqualTo(200);
            proxy.update(pointing("v2", v2));
            assertThat(c.get("stable", "/").status()).isEqualTo(200);
        }
        assertThat(v1.connections()).isEqualTo(1);
    }

    @Test
    void closesTheConnectionsOfAReplacedCluster() throws Exception {
        proxy.update(Configs.builder().cluster("c", v1.port()).host("c", "c").build());
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").headers()).containsEntry("x-backend", "v1");
            assertThat(proxy.upstreamConnections("c")).hasValue(1);
            proxy.update(Configs.builder().cluster("c", v2.port()).host("c", "c").build());
            assertThat(c.get("c", "/").headers()).containsEntry("x-backend", "v2");
        }
        assertThat(proxy.upstreamConnections("c")).hasValue(1);
    }

    @Test
    void bindsAddedListenersAndClosesRemovedOnes() throws Exception {
        ProxyConfig base = Configs.builder().cluster("app", v1.port()).host("x", "app").inbound("app").build();
        proxy.update(base);
        int inbound = proxy.port(Configs.INBOUND).orElseThrow();
        try (RawHttp c = new RawHttp(inbound)) {
            assertThat(c.get("anything", "/").status()).isEqualTo(200);
        }
        Map<String, ListenerConfig> listeners = new HashMap<>(base.listeners());
        listeners.remove(Configs.INBOUND);
        proxy.update(new ProxyConfig(listeners, base.routes(), base.clusters(), Map.of()));
        assertThat(proxy.port(Configs.INBOUND)).isEmpty();
        assertThat(servedOn(inbound)).isFalse();
        assertThat(proxy.port(Configs.OUTBOUND)).isPresent();
    }

    private static boolean servedOn(int port) {
        try (RawHttp c = new RawHttp(port)) {
            return c.get("anything", "/").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void rejectsAnUnsupportedFilterAndKeepsTheCurrentConfig() throws Exception {
        proxy.update(pointing("v1", v1));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        ProxyConfig bad = Configs.builder().cluster("c", v2.port()).host("reviews", "c")
                .filters(List.of("envoy.filters.http.cors", "envoy.filters.http.router")).build();
        assertThatThrownBy(() -> proxy.update(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("envoy.filters.http.cors is not supported");
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("reviews", "/").headers()).containsEntry("x-backend", "v1");
        }
    }

    @Test
    void rejectsAListenerThatCannotBindAndKeepsTheCurrentConfig() throws Exception {
        proxy.update(pointing("v1", v1));
        ProxyConfig base = pointing("v2", v2);
        Map<String, ListenerConfig> listeners = new HashMap<>(base.listeners());
        listeners.put("taken", new ListenerConfig("taken", "127.0.0.1", v1.port(), ListenerConfig.Direction.INBOUND,
                "outbound-routes", List.of("envoy.filters.http.router")));
        assertThatThrownBy(() -> proxy.update(new ProxyConfig(listeners, base.routes(), base.clusters(), Map.of())))
                .hasMessageContaining("listener taken: cannot bind 127.0.0.1:" + v1.port());
        assertThat(proxy.config().clusters()).containsKey("reviews-v1");
    }

    @Test
    void keepsARequestInFlightOnTheConfigItStartedWith() throws Exception {
        proxy.update(Configs.builder().cluster("c", v1.port()).host("c", Configs.route("c", Duration.ofSeconds(30),
                null, null)).build());
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
            Awaitility.await().until(() -> v1.bodyBytes() == 5);
            proxy.update(Configs.builder().cluster("c", v2.port()).host("c", "c").build());
            c.send("67890");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("x-backend", "v1");
            assertThat(r.body()).contains("received 10 bytes");
        }
    }
}
