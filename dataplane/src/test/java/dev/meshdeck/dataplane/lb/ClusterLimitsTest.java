package dev.meshdeck.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.ClusterConfig.CircuitBreakers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ClusterLimitsTest {

    @Test
    void acquiresUpToTheMaximumAndThenRefuses() {
        var limits = new ClusterLimits(new CircuitBreakers(10, 5, 2, 1));

        assertThat(limits.requests().tryAcquire()).isTrue();
        assertThat(limits.requests().tryAcquire()).isTrue();
        assertThat(limits.requests().tryAcquire()).isFalse();
        assertThat(limits.requests().inUse()).isEqualTo(2);

        limits.requests().release();
        assertThat(limits.requests().tryAcquire()).isTrue();
    }

    @Test
    void eachThresholdIsItsOwnCounter() {
        var limits = new ClusterLimits(new CircuitBreakers(3, 2, 1, 0));

        assertThat(limits.retries().tryAcquire()).isFalse();
        assertThat(limits.requests().tryAcquire()).isTrue();
        assertThat(limits.pendingRequests().tryAcquire()).isTrue();
        assertThat(limits.connections().inUse()).isZero();
        assertThat(limits.connections().max()).isEqualTo(3);
    }

    @Test
    void releasingMoreThanAcquiredIsAnError() {
        var limits = new ClusterLimits(CircuitBreakers.UNLIMITED);

        assertThatThrownBy(() -> limits.pendingRequests().release())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max_pending_requests");
    }

    @Test
    void rejectsANegativeMaximum() {
        assertThatThrownBy(() -> new ClusterLimits(new CircuitBreakers(-1, 1, 1, 1)))
                .hasMessage("max_connections: -1 (expected: 0 or more)");
    }

    @Test
    void manyThreadsRacingNeverGetMoreThanTheMaximum() throws Exception {
        var limits = new ClusterLimits(new CircuitBreakers(1, 1, 100, 1));
        var start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();

        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int got = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (limits.requests().tryAcquire()) {
                            got++;
                        }
                    }
                    return got;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertThat(total).isEqualTo(100);
        }
        assertThat(limits.requests().inUse()).isEqualTo(100);
    }
}
