package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.cluster;
import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.testing.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConsistentHashTest {
    private static final int KEYS = 10_000;

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void theSameKeyAlwaysMapsToTheSameEndpoint(LbPolicy policy) {
        LoadBalancer lb = LoadBalancers.create(cluster(policy, endpoints(5)), new Random(1), new ManualClock());
        LoadBalancer other = LoadBalancers.create(cluster(policy, endpoints(5)), new Random(99), new ManualClock());

        for (int k = 0; k < 1000; k++) {
            OptionalLong hash = key(k);
            Endpoint first = lb.pick(hash, Set.of()).orElseThrow();
            assertThat(lb.pick(hash, Set.of())).contains(first);
            assertThat(other.pick(hash, Set.of())).contains(first);
        }
    }

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void keysSpreadOverAllEndpointsInProportionToWeight(LbPolicy policy) {
        LoadBalancer lb = LoadBalancers.create(cluster(policy, List.of(endpoint(1, 3), endpoint(2, 1))),
                new Random(1), new ManualClock());

        Map<Endpoint, Integer> counts = assign(lb, KEYS);

        assertThat(counts.get(endpoint(1, 3)) * 100.0 / KEYS).isBetween(68.0, 82.0);
    }

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void addingAnEndpointMovesOnlyAboutOneNthOfTheKeysAndOnlyToTheNewEndpoint(LbPolicy policy) {
        LoadBalancer ten = LoadBalancers.create(cluster(policy, endpoints(10)), new Random(1), new ManualClock());
        LoadBalancer eleven = LoadBalancers.create(cluster(policy, endpoints(11)), new Random(1), new ManualClock());

        int moved = 0;
        int movedElsewhere = 0;
        for (int k = 0; k < KEYS; k++) {
            Endpoint before = ten.pick(key(k), Set.of()).orElseThrow();
            Endpoint after = eleven.pick(key(k), Set.of()).orElseThrow();
            if (!before.equals(after)) {
                moved++;
                if (!after.equals(endpoint(11))) {
                    movedElsewhere++;
                }
            }
        }

        // 1/11 is about 9%
        assertThat(moved * 100.0 / KEYS).isBetween(5.0, 14.0);
        if (policy == LbPolicy.RING_HASH) {
            assertThat(movedElsewhere).isZero();
        } else {
            assertThat(movedElsewhere * 100.0 / KEYS).isLessThan(3.0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void anEjectedEndpointsKeysMoveWhileEveryOtherKeyStays(LbPolicy policy) {
        var clock = new ManualClock();
        var outliers = OutlierDetection.builder().consecutive5xx(1, 100).enforcingSuccessRate(0).maxEjectionPercent(50).build();
        LoadBalancer lb = LoadBalancers.create(Clusters.cluster(policy, endpoints(4), outliers), new Random(1), clock);
        Map<Integer, Endpoint> before = new HashMap<>();
        for (int k = 0; k < 2000; k++) {
            before.put(k, lb.pick(key(k), Set.of()).orElseThrow());
        }

        lb.finished(endpoint(2), 503);

        for (int k = 0; k < 2000; k++) {
            Endpoint now = lb.pick(key(k), Set.of()).orElseThrow();
            assertThat(now).isNotEqualTo(endpoint(2));
            if (!before.get(k).equals(endpoint(2))) {
                assertThat(now).isEqualTo(before.get(k));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void aRetryOfAHashedRequestGoesToAnotherEndpoint(LbPolicy policy) {
        LoadBalancer lb = LoadBalancers.create(cluster(policy, endpoints(3)), new Random(1), new ManualClock());

        for (int k = 0; k < 200; k++) {
            Endpoint first = lb.pick(key(k), Set.of()).orElseThrow();
            Endpoint retry = lb.pick(key(k), Set.of(first)).orElseThrow();
            assertThat(retry).isNotEqualTo(first);
            assertThat(lb.pick(key(k), Set.of(first))).contains(retry);
        }
    }

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void aRequestWithoutAHashGoesToARandomEndpoint(LbPolicy policy) {
        LoadBalancer lb = LoadBalancers.create(cluster(policy, endpoints(4)), new Random(1), new ManualClock());

        Map<Endpoint, Integer> counts = RoundRobinTest.count(lb, 4000);

        assertThat(counts).hasSize(4);
        counts.values().forEach(c -> assertThat(c).isBetween(700, 1300));
    }

    private static Map<Endpoint, Integer> assign(LoadBalancer lb, int keys) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            counts.merge(lb.pick(key(k), Set.of()).orElseThrow(), 1, Integer::sum);
        }
        return counts;
    }

    private static OptionalLong key(int k) {
        return OptionalLong.of(XxHash64.hash("user-" + k));
    }
}
