package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.cluster;
import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.testing.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    @Test
    void equalWeightsVisitEveryEndpointOncePerRound() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN, endpoints(3)), new Random(1), new ManualClock());

        List<Endpoint> round = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            round.add(lb.pick(OptionalLong.empty(), Set.of()).orElseThrow());
        }

        assertThat(round).containsExactlyInAnyOrderElementsOf(endpoints(3));
    }

    @Test
    void weightsThreeToOneGiveExactlyThreeToOneOverWholeRounds() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 3), endpoint(2, 1))),
                new Random(1), new ManualClock());

        Map<Endpoint, Integer> counts = count(lb, 4000);

        assertThat(counts.get(endpoint(1, 3))).isEqualTo(3000);
        assertThat(counts.get(endpoint(2, 1))).isEqualTo(1000);
    }

    @Test
    void smoothRoundRobinInterleavesAHeavyEndpointWithTheLightOnes() {
        LoadBalancer lb = LoadBalancers.create(
                cluster(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 5), endpoint(2, 1), endpoint(3, 1))),
                new Random(1), new ManualClock());

        List<Endpoint> picks = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            picks.add(lb.pick(OptionalLong.empty(), Set.of()).orElseThrow());
        }

        for (int start = 0; start + 7 <= picks.size(); start++) {
            assertThat(picks.subList(start, start + 7)).filteredOn(endpoint(1, 5)::equals).hasSize(5);
        }
    }

    @Test
    void aRetrySkipsTheEndpointsItAlreadyTried() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN, endpoints(3)), new Random(1), new ManualClock());

        for (int i = 0; i < 20; i++) {
            assertThat(lb.pick(OptionalLong.empty(), Set.of(endpoint(1), endpoint(2)))).contains(endpoint(3));
        }
    }

    @Test
    void aRetryGoesBackToATriedEndpointWhenNoOtherIsLeft() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN, endpoints(2)), new Random(1), new ManualClock());

        assertThat(lb.pick(OptionalLong.empty(), Set.of(endpoint(1), endpoint(2)))).isPresent();
    }

    @Test
    void aClusterWithoutEndpointsPicksNothing() {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN, List.of()), new Random(1), new ManualClock());

        assertThat(lb.pick(OptionalLong.empty(), Set.of())).isEmpty();
    }

    @Test
    void concurrentPicksFromSeveralThreadsKeepTheRatioExact() throws Exception {
        LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 3), endpoint(2, 1))),
                new Random(1), new ManualClock());
        Map<Endpoint, AtomicInteger> counts = new ConcurrentHashMap<>();

        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        Endpoint e = lb.pick(OptionalLong.empty(), Set.of()).orElseThrow();
                        counts.computeIfAbsent(e, x -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
        }

        assertThat(counts.get(endpoint(1, 3)).get()).isEqualTo(3000);
        assertThat(counts.get(endpoint(2, 1)).get()).isEqualTo(1000);
    }

    static Map<Endpoint, Integer> count(LoadBalancer lb, int picks) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(lb.pick(OptionalLong.empty(), Set.of()).orElseThrow(), 1, Integer::sum);
        }
        return counts;
    }
}
