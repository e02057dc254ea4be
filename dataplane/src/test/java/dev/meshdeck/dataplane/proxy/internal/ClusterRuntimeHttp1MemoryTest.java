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
    /** The clock of {@link #onTestClock} runtimes, moved by the tests. */
    private final AtomicLong now = new AtomicLong(1_000);

    private static ClusterRuntime runtime(ClusterConfig.UpstreamProtocol protocol, Endpoint... endpoints) {
        ClusterConfig config = new ClusterConfig("app", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(1), null,
                null, List.of(endpoints), null, protocol);
        return new ClusterRuntime(config, LoadBalancers.create(config, new Random(1), Clock.systemUTC()), Transport.NIO,
                new Stats());
    }

    private ClusterRuntime onTestClock(ClusterRuntime cluster) {
        cluster.nanoTime(now::get);
        return cluster;
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
        ClusterRuntime cluster = onTestClock(runtime(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM, http1App));
        cluster.answeredNotHttp2(http1App);
        assertThat(cluster.http2Upstream(true, http1App)).isFalse();

        now.addAndGet(ClusterRuntime.HTTP1_ONLY_MEMORY.toNanos() - 1);
        assertThat(cluster.http2Upstream(true, http1App)).as("1 ns before the memory has passed").isFalse();

        now.incrementAndGet();
        assertThat(cluster.http2Upstream(true, http1App)).isTrue();
    }

    @Test
    void eachSameAnswerAfterTheMemoryDoublesItUpTo32Minutes() {
        ClusterRuntime cluster = onTestClock(runtime(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM, http1App));
        long memory = ClusterRuntime.HTTP1_ONLY_MEMORY.toNanos();
        long[] expected = {60, 120, 240, 480, 960, 1920, 1920};

        for (long seconds : expected) {
            // HTTP/2 is tried once the memory has passed, and the app answers as before.
            assertThat(cluster.http2Upstream(true, http1App)).isTrue();
            cluster.answeredNotHttp2(http1App);
            memory = Duration.ofSeconds(seconds).toNanos();
            now.addAndGet(memory - 1);
            assertThat(cluster.http2Upstream(true, http1App)).as("1 ns before %d s have passed", seconds).isFalse();
            now.incrementAndGet();
        }
        assertThat(Duration.ofNanos(memory)).isEqualTo(ClusterRuntime.HTTP1_ONLY_MEMORY_MAX);
    }

    @Test
    void anEndpointThatAnswersInHttp2IsForgottenAndStartsAgainFromAMinute() {
        ClusterRuntime cluster = onTestClock(runtime(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM, http1App));
        cluster.answeredNotHttp2(http1App);
        now.addAndGet(ClusterRuntime.HTTP1_ONLY_MEMORY.toNanos());
        cluster.answeredNotHttp2(http1App); // two minutes now

        cluster.answeredHttp2(http1App); // restarted as an h2c server

        assertThat(cluster.http2Upstream(true, http1App)).isTrue();
        cluster.answeredNotHttp2(http1App); // and back to HTTP/1.1 only
        now.addAndGet(ClusterRuntime.HTTP1_ONLY_MEMORY.toNanos());
        assertThat(cluster.http2Upstream(true, http1App)).as("a minute, not four").isTrue();
    }

    @Test
    void aGrpcRequestTriesHttp2WhateverTheEndpointAnsweredBefore() {
        ClusterRuntime cluster = runtime(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM, http1App);
        cluster.answeredNotHttp2(http1App);

        assertThat(cluster.http2Upstream(true, http1App, true)).isTrue();
        assertThat(cluster.http2Upstream(true, http1App, false)).isFalse();
        assertThat(cluster.http2Upstream(false, http1App, true)).as("an HTTP/1.1 client's request stays HTTP/1.1")
                .isFalse();
    }

    @Test
    void aClusterConfiguredForHttp2KeepsHttp2() {
        ClusterRuntime cluster = runtime(ClusterConfig.UpstreamProtocol.HTTP2, http1App);

        assertThat(cluster.answeredNotHttp2(http1App)).as("no second try over HTTP/1.1").isFalse();

        assertThat(cluster.http2Upstream(true, http1App)).isTrue();
        assertThat(cluster.http2Upstream(false, http1App)).isTrue();
    }

    @Test
    void theDefaultMemoryIsAMinuteAndAtMost32Minutes() {
        assertThat(ClusterRuntime.HTTP1_ONLY_MEMORY).isEqualTo(Duration.ofSeconds(60));
        assertThat(ClusterRuntime.HTTP1_ONLY_MEMORY_MAX).isEqualTo(Duration.ofMinutes(32));
    }
}
