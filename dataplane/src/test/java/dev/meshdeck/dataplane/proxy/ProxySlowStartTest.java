package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow start on real sockets: a backend that joins a warm round-robin cluster through an EDS update gets a tenth
 * of its share at first and its full share once the window has passed. The balancers run on a manual clock so
 * that the window's steps are exact; the proxy, its pools and the backends are real.
 */
@ExtendWith(LeakGuard.class)
class ProxySlowStartTest {
    private static final ClusterConfig.SlowStart ONE_MINUTE = new ClusterConfig.SlowStart(Duration.ofMinutes(1));

    private final Stats stats = new Stats();
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger balancersMade = new AtomicInteger();
    private final List<TestBackend> backends = new ArrayList<>();
    private SidecarProxy proxy;

    @BeforeEach
    void start() {
        for (String name : List.of("v1", "v2", "v3")) {
            backends.add(new TestBackend(name));
        }
        proxy = Proxies.proxy(Proxies.counting(Proxies.balancers(stats, clock), balancersMade),
                ProxyOptions.DEFAULTS.withIoThreads(1), stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        backends.forEach(TestBackend::close);
    }

    private ProxyConfig cluster(int backendCount) {
        List<Endpoint> eps = new ArrayList<>();
        for (TestBackend b : backends.subList(0, backendCount)) {
            eps.add(new Endpoint("127.0.0.1", b.port(), 1));
        }
        ClusterConfig c = new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null,
                null, eps).withSlowStart(ONE_MINUTE);
        return Configs.builder().cluster(c).host("c", "c").build();
    }

    @Test
    void aBackendJoiningAWarmClusterGetsATenthOfItsShareThenRampsUpToAllOfIt() throws Exception {
        proxy.update(cluster(2));
        clock.advance(Duration.ofMinutes(10));
        proxy.update(cluster(3));
        int port = proxy.port(Configs.OUTBOUND).orElseThrow();

        try (RawHttp c = new RawHttp(port)) {
            assertThat(count(c, 210).getOrDefault("v3", 0)).as("weight 0.1 of 2.1").isBetween(9, 11);
            clock.advance(Duration.ofSeconds(30));
            assertThat(count(c, 250).getOrDefault("v3", 0)).as("weight 0.5 of 2.5").isBetween(48, 52);
            clock.advance(Duration.ofSeconds(30));
            assertThat(count(c, 300).values()).as("past the window: a third each")
                    .allSatisfy(n -> assertThat(n).isBetween(98, 102));
        }
        assertThat(balancersMade).as("the EDS update kept the balancer").hasValue(1);
    }

    private static Map<String, Integer> count(RawHttp c, int requests) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            RawHttp.Response r = c.get("c", "/");
            assertThat(r.status()).isEqualTo(200);
            counts.merge(r.headers().get("x-backend"), 1, Integer::sum);
        }
        return counts;
    }
}
