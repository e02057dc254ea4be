package dev.meshdeck.dataplane.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which protocol a cluster's requests take to an endpoint that answered HTTP/2 with something else. */
class ClusterRuntimeHttp1MemoryTest {
    private final Endpoint http1App = new Endpoint("127.0.0.1", 18080, 1);
    private final Endpoint h2cApp = new Endpoint("127.0.0.1", 18081, 1);

    private static ClusterRuntime runtime(ClusterConfig.UpstreamProtocol protocol, Endpoint... endpoints) {
        ClusterConfig config = new ClusterConfig("app", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(1), null,
                null, List.of(endpoints), null, protocol);
        return new ClusterRuntime(config, LoadBalancers.create(config, new Random(1), Clock.systemUTC()), Transport.NIO,
                new Stats());
    }

    @Test
    void anEndpointThatAnsweredSomethingElseGetsHttp11FromHttp2ClientsAndTheOthersKeepHttp2() {
        ClusterRuntime cluster = runtime(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM, http1App, h2cApp);

        assertThat(cluster.answeredNotHttp2(http1App)).as("the request may go again over HTTP/1.1").isTrue();

        assertThat(cluster.http2Upstream(true, http1App)).isFalse();
        assertThat(cluster.http2Upstream(true, h2cApp)).isTrue();
        assertThat(cluster.http2Upstream(false, http1App)).isFalse();
    }

    @Test
    void http2IsTriedAgainOnceTheMemoryHasPassed() {
        ClusterRuntime cluster = runtime(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM, http1App);
        AtomicLong now = new AtomicLong(1_000);
        cluster.nanoTime(now::get);
        cluster.answeredNotHttp2(http1App);
        assertThat(cluster.http2Upstream(true, http1App)).isFalse();

        now.addAndGet(ClusterRuntime.HTTP1_ONLY_MEMORY.toNanos() - 1);
        assertThat(cluster.http2Upstream(true, http1App)).as("1 ns before the memory has passed").isFalse();

        now.incrementAndGet();
        assertThat(cluster.http2Upstream(true, http1App)).isTrue();
    }

    @Test
    void aClusterConfiguredForHttp2KeepsHttp2() {
        ClusterRuntime cluster = runtime(ClusterConfig.UpstreamProtocol.HTTP2, http1App);

        assertThat(cluster.answeredNotHttp2(http1App)).as("no second try over HTTP/1.1").isFalse();

        assertThat(cluster.http2Upstream(true, http1App)).isTrue();
        assertThat(cluster.http2Upstream(false, http1App)).isTrue();
    }

    @Test
    void theDefaultMemoryIsAMinute() {
        assertThat(ClusterRuntime.HTTP1_ONLY_MEMORY).isEqualTo(Duration.ofSeconds(60));
    }
}
