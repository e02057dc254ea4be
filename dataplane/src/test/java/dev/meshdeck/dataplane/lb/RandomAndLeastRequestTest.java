package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.cluster;
import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.testing.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomAndLeastRequestTest {

    @Test
    void weightedRandomEightyTwentyOverTenThousandPicksLandsWithinTwoPoints() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.RANDOM, List.of(endpoint(1, 80), endpoint(2, 20))),
                new Random(42), new ManualClock());

        Map<Endpoint, Integer> counts = RoundRobinTest.count(lb, 10_000);

        assertThat(counts.get(endpoint(1, 80)) / 100.0).isBetween(78.0, 82.0);
    }

    @Test
    void theSameSeedGivesTheSamePicks() {
        var config = cluster(LbPolicy.RANDOM, endpoints(5));
        LoadBalancer a = LoadBalancers.create(config, new Random(7), new ManualClock());
        LoadBalancer b = LoadBalancers.create(config, new Random(7), new ManualClock());

        for (int i = 0; i < 100; i++) {
            assertThat(a.pick(OptionalLong.empty(), Set.of())).isEqualTo(b.pick(OptionalLong.empty(), Set.of()));
        }
    }

    @Test
    void leastRequestPrefersTheLessLoadedOfTwo() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.LEAST_REQUEST, endpoints(2)), new Random(3), new ManualClock());
        for (int i = 0; i < 5; i++) {
            lb.started(endpoint(1));
        }

        for (int i = 0; i < 100; i++) {
            assertThat(lb.pick(OptionalLong.empty(), Set.of())).contains(endpoint(2));
        }
    }

    @Test
    void leastRequestNeverPicksTheMostLoadedOfSeveralEqualEndpoints() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.LEAST_REQUEST, endpoints(4)), new Random(3), new ManualClock());
        for (int i = 0; i < 10; i++) {
            lb.started(endpoint(4));
        }

        Map<Endpoint, Integer> counts = RoundRobinTest.count(lb, 1000);

        assertThat(counts).doesNotContainKey(endpoint(4));
        assertThat(counts).containsKeys(endpoint(1), endpoint(2), endpoint(3));
    }

    @Test
    void finishedRequestsNoLongerCountAsLoad() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.LEAST_REQUEST, endpoints(2)), new Random(3), new ManualClock());
        lb.started(endpoint(1));
        lb.started(endpoint(1));
        lb.finished(endpoint(1), 200);
        lb.finished(endpoint(1), 200);
        lb.started(endpoint(2));

        for (int i = 0; i < 50; i++) {
            assertThat(lb.pick(OptionalLong.empty(), Set.of())).contains(endpoint(1));
        }
    }

    @Test
    void requestCountsStayExactUnderConcurrentStartsAndFinishes() throws Exception {
        var lb = (dev.meshdeck.dataplane.lb.internal.LeastRequestBalancer) LoadBalancers.create(
                cluster(LbPolicy.LEAST_REQUEST, endpoints(2)), new Random(3), new ManualClock());

        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 5000; i++) {
                        Endpoint e = lb.pick(OptionalLong.empty(), Set.of()).orElseThrow();
                        lb.started(e);
                        lb.finished(e, 200);
                    }
                });
            }
        }

        assertThat(lb.inFlight(0)).isZero();
        assertThat(lb.inFlight(1)).isZero();
    }

    @Test
    void leastRequestHonoursWeightsWhenTheyDiffer() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.LEAST_REQUEST, List.of(endpoint(1, 3), endpoint(2, 1))),
                new Random(5), new ManualClock());

        Map<Endpoint, Integer> counts = RoundRobinTest.count(lb, 10_000);

        assertThat(counts.get(endpoint(1, 3)) / 100.0).isBetween(73.0, 77.0);
    }

    @Test
    void leastRequestWithDifferentWeightsShiftsAwayFromALoadedHeavyEndpoint() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.LEAST_REQUEST, List.of(endpoint(1, 3), endpoint(2, 1))),
                new Random(5), new ManualClock());
        for (int i = 0; i < 8; i++) {
            lb.started(endpoint(1, 3));
        }

        Map<Endpoint, Integer> counts = RoundRobinTest.count(lb, 10_000);

        // effective weights 3/9 against 1/1: a quarter of the picks
        assertThat(counts.get(endpoint(1, 3)) / 100.0).isBetween(23.0, 27.0);
    }
}
