package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.cluster;
import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static dev.meshdeck.dataplane.lb.RoundRobinTest.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.SlowStart;
import dev.meshdeck.dataplane.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Envoy's slow start (Istio's {@code warmup}): an endpoint that joins a warm cluster ramps up to its share. */
class SlowStartTest {
    private static final SlowStart ONE_MINUTE = new SlowStart(Duration.ofMinutes(1));

    private final ManualClock clock = new ManualClock();

    @Test
    void theFactorRampsLinearlyFromTheMinimumWeightToOne() {
        assertThat(ONE_MINUTE.factor(0)).isEqualTo(0.1);
        assertThat(ONE_MINUTE.factor(3_000)).isEqualTo(0.1);
        assertThat(ONE_MINUTE.factor(30_000)).isCloseTo(0.5, within(1e-9));
        assertThat(ONE_MINUTE.factor(59_999)).isCloseTo(1.0, within(1e-4)).isLessThan(1.0);
        assertThat(ONE_MINUTE.factor(60_000)).isEqualTo(1.0);
        assertThat(ONE_MINUTE.factor(-5)).as("a clock that stepped back").isEqualTo(1.0);
    }

    @Test
    void aggressionAboveOneRampsFasterAtFirstAndTheMinimumIsAFloor() {
        SlowStart aggressive = new SlowStart(Duration.ofSeconds(100), 2.0, 0.0);

        assertThat(aggressive.factor(25_000)).isCloseTo(0.5, within(1e-9));
        assertThat(aggressive.factor(1)).isCloseTo(Math.sqrt(1e-5), within(1e-9));
        assertThat(new SlowStart(Duration.ofSeconds(100), 0.5, 20).factor(50_000)).isEqualTo(0.25);
        assertThat(new SlowStart(Duration.ofSeconds(100), 0.5, 20).factor(10_000)).isEqualTo(0.2);
    }

    @Test
    void aSlowStartWithAnEmptyWindowOrNoRampIsRefused() {
        assertThatThrownBy(() -> new SlowStart(Duration.ZERO)).hasMessageContaining("window PT0S (expected: more than 0)");
        assertThatThrownBy(() -> new SlowStart(Duration.ofSeconds(1), 0, 10))
                .hasMessageContaining("aggression 0.0 (expected: more than 0");
        assertThatThrownBy(() -> new SlowStart(Duration.ofSeconds(1), Double.NaN, 10))
                .hasMessageContaining("aggression NaN");
        assertThatThrownBy(() -> new SlowStart(Duration.ofSeconds(1), 1, 101))
                .hasMessageContaining("min weight percent 101.0 (expected: 0..100)");
        assertThatThrownBy(() -> cluster(LbPolicy.RANDOM, endpoints(2)).withSlowStart(ONE_MINUTE))
                .hasMessageContaining("slow start with RANDOM (expected: ROUND_ROBIN or LEAST_REQUEST)");
    }

    @Test
    void roundRobinGivesANewEndpointTheMinimumShareThenRampsItUpOverTheWindow() {
        LoadBalancer lb = warmCluster(LbPolicy.ROUND_ROBIN);
        lb.update(endpoints(3));

        assertThat(count(lb, 2100).get(endpoint(3))).as("weight 0.1 of 2.1").isBetween(99, 101);
        clock.advance(Duration.ofSeconds(30));
        assertThat(count(lb, 2500).get(endpoint(3))).as("weight 0.5 of 2.5").isBetween(498, 502);
        clock.advance(Duration.ofSeconds(30));
        assertThat(count(lb, 3000).values()).as("the window has passed: equal shares")
                .allSatisfy(n -> assertThat(n).isBetween(998, 1002));
    }

    @Test
    void leastRequestGivesANewEndpointItsSlowStartShareThenTwoChoicesAgain() {
        LoadBalancer lb = warmCluster(LbPolicy.LEAST_REQUEST);
        lb.update(endpoints(3));

        assertThat(count(lb, 21_000).get(endpoint(3))).as("weight 0.1 of 2.1, drawn at random: ~1000")
                .isBetween(850, 1150);
        clock.advance(Duration.ofSeconds(60));
        assertThat(count(lb, 3000).get(endpoint(3))).as("the window has passed: two choices, ~1000")
                .isBetween(850, 1150);
    }

    @Test
    void endpointsThatJoinTogetherKeepTheirConfiguredProportions() {
        LoadBalancer lb = LoadBalancers.create(
                cluster(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 3), endpoint(2, 1))).withSlowStart(ONE_MINUTE),
                new Random(1), clock);

        Map<Endpoint, Integer> counts = count(lb, 4000);

        assertThat(counts).containsEntry(endpoint(1, 3), 3000).containsEntry(endpoint(2, 1), 1000);
    }

    @Test
    void anEndpointWhoseWeightChangesKeepsTheTimeItJoined() {
        LoadBalancer lb = warmCluster(LbPolicy.ROUND_ROBIN);
        lb.update(endpoints(3));
        clock.advance(Duration.ofSeconds(30));

        lb.update(List.of(endpoint(1), endpoint(2), endpoint(3, 2)));

        assertThat(count(lb, 3000).get(endpoint(3, 2))).as("weight 2 × 0.5 of 3").isBetween(999, 1001);
    }

    @Test
    void anEndpointThatLeavesAndComesBackStartsOver() {
        LoadBalancer lb = warmCluster(LbPolicy.ROUND_ROBIN);
        lb.update(endpoints(3));
        clock.advance(Duration.ofMinutes(5));
        lb.update(endpoints(2));
        clock.advance(Duration.ofSeconds(1));

        lb.update(endpoints(3));

        assertThat(count(lb, 2100).get(endpoint(3))).isBetween(99, 101);
    }

    /** A balancer over endpoints 1 and 2, past their own slow start. */
    private LoadBalancer warmCluster(LbPolicy policy) {
        ClusterConfig c = cluster(policy, endpoints(2)).withSlowStart(ONE_MINUTE);
        LoadBalancer lb = LoadBalancers.create(c, new Random(1), clock);
        clock.advance(Duration.ofMinutes(10));
        return lb;
    }
}
