package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.lb.internal.AbstractBalancer;
import dev.meshdeck.dataplane.lb.internal.RingHashBalancer;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.testing.VirtualTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An EDS update changes a balancer's endpoints in place. */
class EndpointUpdateTest {
    private final VirtualTime time = new VirtualTime();
    private final Stats stats = new Stats();
    private static final OutlierDetection EJECT_AT_ONCE = OutlierDetection.builder().consecutive5xx(1, 100)
            .enforcingSuccessRate(0).maxEjectionPercent(100).build();

    private AbstractBalancer<?> balancer(LbPolicy policy, int endpoints) {
        return (AbstractBalancer<?>) LoadBalancers.create(Clusters.cluster(policy, endpoints(endpoints), EJECT_AT_ONCE),
                new LoadBalancers.Environment(new Random(1), time.clock(), time, stats));
    }

    private long ejectionsActive() {
        return stats.counterValues().get("cluster." + Clusters.NAME + ".outlier_detection.ejections_active");
    }

    @ParameterizedTest
    @EnumSource(LbPolicy.class)
    void anEjectedEndpointThatStaysStaysEjected(LbPolicy policy) {
        var lb = balancer(policy, 3);
        lb.started(endpoint(2));
        lb.finished(endpoint(2), 503);

        lb.update(endpoints(4));

        var picks = RoundRobinTest.count(lb, 400);
        assertThat(picks).doesNotContainKey(endpoint(2)).containsKeys(endpoint(1), endpoint(3), endpoint(4));
        assertThat(ejectionsActive()).isEqualTo(1);
    }

    @Test
    void aRemovedEjectedEndpointIsNoLongerCountedAsEjected() {
        var lb = balancer(LbPolicy.ROUND_ROBIN, 3);
        lb.started(endpoint(3));
        lb.finished(endpoint(3), 503);

        lb.update(endpoints(2));

        assertThat(ejectionsActive()).isZero();
        assertThat(RoundRobinTest.count(lb, 100)).containsOnlyKeys(endpoint(1), endpoint(2));
    }

    @Test
    void requestsInFlightAreKeptForEndpointsThatStay() {
        var lb = balancer(LbPolicy.LEAST_REQUEST, 2);
        for (int i = 0; i < 5; i++) {
            lb.started(endpoint(1));
        }

        lb.update(List.of(endpoint(3), endpoint(1), endpoint(2)));

        assertThat(lb.inFlight(1)).isEqualTo(5);
        // Two choices never prefer the busy endpoint over an idle one.
        assertThat(IntStream.range(0, 200).mapToObj(i -> lb.pick(OptionalLong.empty(), Set.of()).orElseThrow()))
                .doesNotContain(endpoint(1));
        lb.finished(endpoint(1), 200);
        assertThat(lb.inFlight(1)).isEqualTo(4);
    }

    @Test
    void anEndpointWhoseWeightChangedKeepsItsState() {
        var lb = balancer(LbPolicy.ROUND_ROBIN, 2);
        lb.started(endpoint(1));
        lb.finished(endpoint(1), 503);

        lb.update(List.of(endpoint(1, 5), endpoint(2)));

        assertThat(RoundRobinTest.count(lb, 100)).containsOnlyKeys(endpoint(2));
        // A try picked before the update ends under the old weight: still counted.
        lb.started(endpoint(2));
        lb.update(List.of(endpoint(1, 5), endpoint(2, 3)));
        assertThat(lb.inFlight(1)).isEqualTo(1);
        lb.finished(endpoint(2), 200);
        assertThat(lb.inFlight(1)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
    void theHashTableIsRebuiltOnlyWhenEndpointsOrWeightsChange(LbPolicy policy) {
        var lb = balancer(policy, 3);
        long key = 0x1234_5678_9abcL;
        var before = lb.pick(OptionalLong.of(key), Set.of()).orElseThrow();

        lb.update(List.of(endpoint(3), endpoint(1), endpoint(2)));
        assertThat(lb.tablesBuilt()).isEqualTo(1);
        assertThat(lb.pick(OptionalLong.of(key), Set.of())).contains(before);

        lb.update(List.of(endpoint(1), endpoint(2), endpoint(3, 2)));
        assertThat(lb.tablesBuilt()).isEqualTo(2);
        lb.update(endpoints(4));
        assertThat(lb.tablesBuilt()).isEqualTo(3);
        if (lb instanceof RingHashBalancer ring) {
            assertThat(ring.ringSize()).isGreaterThanOrEqualTo(1024);
        }
    }
}
