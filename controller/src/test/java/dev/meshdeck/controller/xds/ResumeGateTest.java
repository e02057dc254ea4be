package dev.meshdeck.controller.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.testing.VirtualScheduler;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResumeGateTest {
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final AtomicInteger opened = new AtomicInteger();
    private final ResumeGate gate = new ResumeGate(scheduler.clock(), scheduler, Duration.ofSeconds(2),
            Duration.ofSeconds(10), opened::incrementAndGet);

    @Test
    void holdsAProxyThatComesBackWithConfigUntilReconnectsSettle() {
        gate.onV3StreamRequest(1, first("reviews-v1", "v7"));
        scheduler.advance(Duration.ofMillis(1500));
        gate.onV3StreamRequest(2, first("ratings-v1", "v7"));
        scheduler.advance(Duration.ofMillis(1500));

        assertThat(gate.holds("reviews-v1")).isTrue();
        assertThat(gate.holds("ratings-v1")).isTrue();

        scheduler.advance(Duration.ofMillis(600));

        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.holds("reviews-v1")).isFalse();
        assertThat(opened).hasValue(1);
    }

    @Test
    void neverHoldsAProxyConnectingForTheFirstTime() {
        gate.onV3StreamRequest(1, first("reviews-v1", ""));

        assertThat(gate.holds("reviews-v1")).isFalse();
    }

    @Test
    void opensAfterTheMaximumEvenIfProxiesKeepComingBack() {
        for (int i = 0; i < 12; i++) {
            gate.onV3StreamRequest(i, first("p" + i, "v7"));
            scheduler.advance(Duration.ofSeconds(1));
        }

        assertThat(gate.isOpen()).isTrue();
        assertThat(opened).hasValue(1);
    }

    @Test
    void aLaterRequestOfAStreamDoesNotCountAsComingBack() {
        DiscoveryRequest ack = first("reviews-v1", "v7").toBuilder().setResponseNonce("3").build();

        gate.onV3StreamRequest(1, ack);

        assertThat(gate.holds("reviews-v1")).isFalse();
    }

    private static DiscoveryRequest first(String node, String version) {
        return DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(node)).setVersionInfo(version).build();
    }
}
