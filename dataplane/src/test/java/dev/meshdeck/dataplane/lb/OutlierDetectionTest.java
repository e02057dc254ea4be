package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.testing.VirtualTime;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Envoy's outlier detection through the balancers, on virtual time. */
class OutlierDetectionTest {
    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final String STATS = "cluster." + Clusters.NAME + ".outlier_detection.";
    private final VirtualTime time = new VirtualTime();
    private final Stats stats = new Stats();

    private static OutlierDetection.Builder consecutive(int consecutive5xx, int consecutiveGateway, int maxPercent) {
        return OutlierDetection.builder()
                .consecutive5xx(consecutive5xx, consecutive5xx > 0 ? 100 : 0)
                .consecutiveGatewayFailure(consecutiveGateway, consecutiveGateway > 0 ? 100 : 0)
                .enforcingSuccessRate(0)
                .interval(INTERVAL).baseEjectionTime(BASE).maxEjectionPercent(maxPercent);
    }

    private LoadBalancer balancer(int endpoints, int consecutive5xx, int consecutiveGateway, int maxPercent) {
        return balancer(endpoints, consecutive(consecutive5xx, consecutiveGateway, maxPercent).build());
    }

    private LoadBalancer balancer(int endpoints, OutlierDetection outliers) {
        return LoadBalancers.create(Clusters.cluster(LbPolicy.ROUND_ROBIN, endpoints(endpoints), outliers),
                new LoadBalancers.Environment(new Random(1), time.clock(), time, stats));
    }

    private long stat(String name) {
        return stats.counterValues().getOrDefault(STATS + name, 0L);
    }

    @Test
    void anEndpointFailingFiveTimesInARowIsEjectedAndReturnsAfterTheEjectionTime() {
        LoadBalancer lb = balancer(3, 5, 0, 50);

        fail(lb, endpoint(1), 503, 5);

        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        assertThat(stat("ejections_active")).isEqualTo(1);
        assertThat(stat("ejections_enforced_total")).isEqualTo(1);
        assertThat(stat("ejections_detected_consecutive_5xx")).isEqualTo(1);
        assertThat(stat("ejections_enforced_consecutive_5xx")).isEqualTo(1);
        time.advance(BASE.minusMillis(1));
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        time.advance(Duration.ofMillis(1));
        assertThat(picks(lb, 300)).containsKey(endpoint(1));
        assertThat(stat("ejections_active")).isZero();
    }

    @Test
    void theIntervalTimerEndsAnEjectionEvenWithoutTraffic() {
        LoadBalancer lb = balancer(3, 5, 0, 50);
        fail(lb, endpoint(1), 503, 5);

        time.advance(BASE);

        assertThat(stat("ejections_active")).isZero();
        lb.close();
        assertThat(time.pending()).isZero();
    }

    @Test
    void fourFailuresThenASuccessDoNotEject() {
        LoadBalancer lb = balancer(3, 5, 0, 50);

        fail(lb, endpoint(1), 500, 4);
        lb.finished(endpoint(1), 200);
        fail(lb, endpoint(1), 500, 4);

        assertThat(picks(lb, 300)).containsKey(endpoint(1));
    }

    @Test
    void aTryTheClientWalkedAwayFromNeitherCountsAsAFailureNorBreaksAStreakOfFailures() {
        LoadBalancer lb = balancer(3, 5, 0, 50);

        fail(lb, endpoint(2), LoadBalancer.CLIENT_GONE, 10);
        assertThat(picks(lb, 300)).containsKey(endpoint(2));

        fail(lb, endpoint(1), 503, 4);
        lb.started(endpoint(1));
        lb.finished(endpoint(1), LoadBalancer.CLIENT_GONE);
        fail(lb, endpoint(1), 503, 1);
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
    }

    @Test
    void aSecondEjectionLastsTwiceTheBaseTime() {
        LoadBalancer lb = balancer(3, 5, 0, 50);
        fail(lb, endpoint(1), 503, 5);
        time.advance(BASE);

        fail(lb, endpoint(1), 503, 5);
        time.advance(BASE.multipliedBy(2).minusMillis(1));
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        time.advance(Duration.ofMillis(1));
        assertThat(picks(lb, 300)).containsKey(endpoint(1));
    }

    @Test
    void theEjectionTimeIsCappedByMaxEjectionTime() {
        LoadBalancer lb = balancer(3, consecutive(1, 0, 50).maxEjectionTime(Duration.ofSeconds(45)).build());
        fail(lb, endpoint(1), 503, 1);
        time.advance(BASE);
        fail(lb, endpoint(1), 503, 1);

        // Twice the base would be 60 s; the cap is 45 s.
        time.advance(Duration.ofSeconds(45).minusMillis(1));
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        time.advance(Duration.ofMillis(1));
        assertThat(picks(lb, 300)).containsKey(endpoint(1));
    }

    @Test
    void anEndpointHealthyLongEnoughHasItsEjectionCountDecayed() {
        var lb = (dev.meshdeck.dataplane.lb.internal.AbstractBalancer<?>) balancer(3, 1, 0, 50);
        fail(lb, endpoint(1), 503, 1);
        time.advance(BASE);
        fail(lb, endpoint(1), 503, 1);
        assertThat(lb.ejectionCount(0)).isEqualTo(2);

        // Back after 60 s; once healthy for as long as that, the count drops by one per interval.
        time.advance(BASE.multipliedBy(2));
        time.advance(BASE.multipliedBy(2));
        assertThat(lb.ejectionCount(0)).isEqualTo(1);
        time.advance(BASE);
        assertThat(lb.ejectionCount(0)).isZero();
    }

    @Test
    void connectFailuresCountAsFiveHundreds() {
        LoadBalancer lb = balancer(3, 5, 0, 50);

        fail(lb, endpoint(2), 0, 5);

        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(2));
    }

    @Test
    void localTimeoutsCountAsGatewayFailuresWhenOriginsAreNotSplit() {
        LoadBalancer lb = balancer(3, 0, 3, 50);

        fail(lb, endpoint(2), LoadBalancer.TIMEOUT, 3);

        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(2));
        assertThat(stat("ejections_enforced_consecutive_gateway_failure")).isEqualTo(1);
    }

    @Test
    void consecutiveGatewayErrorsEjectButAPlainFiveHundredResetsTheirCount() {
        LoadBalancer lb = balancer(3, 0, 3, 50);

        fail(lb, endpoint(1), 502, 2);
        lb.finished(endpoint(1), 500);
        fail(lb, endpoint(1), 504, 2);
        assertThat(picks(lb, 300)).containsKey(endpoint(1));

        lb.finished(endpoint(1), 0);
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
    }

    @Test
    void withSplitOriginsLocalFailuresEjectByTheirOwnStreakAndNotAsFiveHundreds() {
        LoadBalancer lb = balancer(3, consecutive(2, 0, 100).splitExternalLocalOriginErrors(true)
                .consecutiveLocalOriginFailure(3, 100).build());

        fail(lb, endpoint(1), 0, 2);
        fail(lb, endpoint(2), 503, 1);
        fail(lb, endpoint(2), LoadBalancer.TIMEOUT, 1);
        fail(lb, endpoint(2), 503, 1);
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(2)).containsKey(endpoint(1));
        assertThat(stat("ejections_enforced_consecutive_5xx")).isEqualTo(1);

        // An HTTP answer means the connection worked: it breaks a streak of local failures.
        lb.finished(endpoint(1), 200);
        fail(lb, endpoint(1), 0, 2);
        assertThat(picks(lb, 300)).containsKey(endpoint(1));
        fail(lb, endpoint(1), 0, 1);
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        assertThat(stat("ejections_enforced_consecutive_local_origin_failure")).isEqualTo(1);
    }

    @Test
    void aDetectorEnforcingZeroPercentDetectsButDoesNotEject() {
        LoadBalancer lb = balancer(3, consecutive(0, 0, 50).consecutiveGatewayFailure(2, 0).build());

        fail(lb, endpoint(1), 503, 2);

        assertThat(picks(lb, 300)).containsKey(endpoint(1));
        assertThat(stat("ejections_detected_consecutive_gateway_failure")).isEqualTo(1);
        assertThat(stat("ejections_enforced_total")).isZero();
    }

    @Test
    void fourHundredsAreNotFailures() {
        LoadBalancer lb = balancer(3, 2, 2, 50);

        fail(lb, endpoint(1), 404, 10);

        assertThat(picks(lb, 300)).containsKey(endpoint(1));
    }

    @Test
    void noMoreThanMaxEjectionPercentOfEndpointsAreEjected() {
        LoadBalancer lb = balancer(10, 1, 0, 20);

        for (int i = 1; i <= 10; i++) {
            fail(lb, endpoint(i), 503, 1);
        }

        assertThat(picks(lb, 1000)).hasSize(8);
        assertThat(stat("ejections_active")).isEqualTo(2);
        assertThat(stat("ejections_overflow")).isEqualTo(8);
    }

    @Test
    void oneEndpointMayAlwaysBeEjectedEvenWhenThatIsMoreThanMaxEjectionPercent() {
        LoadBalancer lb = balancer(3, 1, 0, 10);

        fail(lb, endpoint(1), 503, 1);
        fail(lb, endpoint(2), 503, 1);

        assertThat(picks(lb, 300)).containsOnlyKeys(endpoint(2), endpoint(3));
    }

    @Test
    void whenEveryEndpointIsEjectedPicksFallBackToAllOfThem() {
        LoadBalancer lb = balancer(2, 1, 0, 100);

        fail(lb, endpoint(1), 503, 1);
        fail(lb, endpoint(2), 503, 1);

        assertThat(picks(lb, 100)).containsOnlyKeys(endpoint(1), endpoint(2));
    }

    @Test
    void aRetryPrefersAHealthyTriedEndpointOverAnEjectedOne() {
        LoadBalancer lb = balancer(2, 1, 0, 100);
        fail(lb, endpoint(2), 503, 1);

        assertThat(lb.pick(OptionalLong.empty(), Set.of(endpoint(1)))).contains(endpoint(1));
    }

    @Test
    void withoutOutlierDetectionFailuresEjectNothing() {
        LoadBalancer lb = LoadBalancers.create(Clusters.cluster(LbPolicy.ROUND_ROBIN, endpoints(2)),
                new LoadBalancers.Environment(new Random(1), time.clock(), time, stats));

        fail(lb, endpoint(1), 503, 100);

        assertThat(picks(lb, 10)).containsKey(endpoint(1));
        assertThat(time.pending()).isZero();
    }

    // Success rate: five endpoints, four answering 95-100% and one 50%.

    private OutlierDetection successRate(int minimumHosts, int requestVolume) {
        return consecutive(0, 0, 50).enforcingSuccessRate(100).successRate(minimumHosts, requestVolume, 1900).build();
    }

    private static void serve(LoadBalancer lb, int endpoints, int requests, int badEndpoint, int badFailures) {
        for (int i = 1; i <= endpoints; i++) {
            int failures = i == badEndpoint ? badFailures : (i % 2 == 0 ? requests / 20 : 0);
            fail(lb, endpoint(i), 500, failures);
            fail(lb, endpoint(i), 200, requests - failures);
        }
    }

    @Test
    void anEndpointFarBelowTheOthersSuccessRateIsEjectedAtTheEndOfTheInterval() {
        LoadBalancer lb = balancer(5, successRate(5, 100));

        serve(lb, 5, 100, 5, 50);
        assertThat(picks(lb, 500)).containsKey(endpoint(5));

        time.advance(INTERVAL);
        assertThat(picks(lb, 500)).doesNotContainKey(endpoint(5)).hasSize(4);
        assertThat(stat("ejections_detected_success_rate")).isEqualTo(1);
        assertThat(stat("ejections_enforced_success_rate")).isEqualTo(1);
        assertThat(stat("ejections_active")).isEqualTo(1);

        time.advance(BASE);
        assertThat(picks(lb, 500)).containsKey(endpoint(5));
    }

    @Test
    void successRateCountsOnlyTheRequestsOfTheLastInterval() {
        LoadBalancer lb = balancer(5, successRate(5, 100));

        // 60 requests per interval: below the volume each time, though 120 over both.
        serve(lb, 5, 60, 5, 30);
        time.advance(INTERVAL);
        serve(lb, 5, 60, 5, 30);
        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_success_rate")).isZero();
    }

    @Test
    void successRateNeedsEnoughEndpointsWithEnoughRequests() {
        LoadBalancer fewHosts = balancer(5, successRate(6, 100));
        serve(fewHosts, 5, 100, 5, 50);
        LoadBalancer lowVolume = balancer(5, successRate(5, 101));
        serve(lowVolume, 5, 100, 5, 50);

        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_success_rate")).isZero();
        assertThat(picks(fewHosts, 500)).hasSize(5);
        assertThat(picks(lowVolume, 500)).hasSize(5);
    }

    @Test
    void successRateBarelyBelowTheMeanIsNotAnOutlier() {
        LoadBalancer lb = balancer(5, successRate(5, 100));

        serve(lb, 5, 100, 5, 10);
        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_success_rate")).isZero();
    }

    @Test
    void successRateLeavesEndpointsEjectedNowOutOfTheMean() {
        // Endpoint 4 is ejected (consecutive 5xx) before the interval ends; its 32 % success would pull the mean
        // down so far that endpoint 5's 50 % would not be an outlier.
        LoadBalancer lb = balancer(5, consecutive(200, 0, 50).enforcingSuccessRate(100).successRate(4, 100, 1000).build());
        serve(lb, 5, 100, 5, 50);
        fail(lb, endpoint(4), 500, 200);

        time.advance(INTERVAL);

        assertThat(stat("ejections_enforced_consecutive_5xx")).isEqualTo(1);
        assertThat(stat("ejections_enforced_success_rate")).isEqualTo(1);
        assertThat(picks(lb, 500)).doesNotContainKeys(endpoint(4), endpoint(5)).hasSize(3);
    }

    // Failure percentage: Envoy's absolute rule, an endpoint that failed at least the threshold is an outlier.

    private OutlierDetection failurePercentage(int minimumHosts, int requestVolume, int threshold) {
        return consecutive(0, 0, 50).enforcingSuccessRate(0).enforcingFailurePercentage(100)
                .failurePercentage(minimumHosts, requestVolume, threshold).build();
    }

    @Test
    void anEndpointFailingAtLeastTheFailurePercentageIsEjectedAtTheEndOfTheInterval() {
        LoadBalancer lb = balancer(5, failurePercentage(5, 50, 85));

        serve(lb, 5, 100, 5, 85);
        assertThat(picks(lb, 500)).containsKey(endpoint(5));

        time.advance(INTERVAL);
        assertThat(picks(lb, 500)).doesNotContainKey(endpoint(5)).hasSize(4);
        assertThat(stat("ejections_detected_failure_percentage")).isEqualTo(1);
        assertThat(stat("ejections_enforced_failure_percentage")).isEqualTo(1);
        assertThat(stat("ejections_enforced_success_rate")).isZero();

        time.advance(BASE);
        assertThat(picks(lb, 500)).containsKey(endpoint(5));
    }

    @Test
    void failurePercentageEjectsEvenWhenEveryEndpointFailsAlike() {
        // Success rate looks for endpoints worse than the others; failure percentage does not compare.
        LoadBalancer lb = balancer(5, consecutive(0, 0, 40).enforcingSuccessRate(100).successRate(5, 50, 1900)
                .enforcingFailurePercentage(100).failurePercentage(5, 50, 50).build());

        for (int i = 1; i <= 5; i++) {
            fail(lb, endpoint(i), 503, 60);
            fail(lb, endpoint(i), 200, 40);
        }
        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_success_rate")).isZero();
        assertThat(stat("ejections_enforced_failure_percentage")).isEqualTo(2);
        assertThat(stat("ejections_overflow")).isEqualTo(3);
        assertThat(picks(lb, 500)).hasSize(3);
    }

    @Test
    void failurePercentageJustBelowTheThresholdIsNotAnOutlier() {
        LoadBalancer lb = balancer(5, failurePercentage(5, 50, 85));

        serve(lb, 5, 100, 5, 84);
        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_failure_percentage")).isZero();
    }

    @Test
    void failurePercentageNeedsEnoughEndpointsWithEnoughRequests() {
        LoadBalancer fewHosts = balancer(5, failurePercentage(6, 50, 85));
        serve(fewHosts, 5, 100, 5, 90);
        LoadBalancer lowVolume = balancer(5, failurePercentage(5, 101, 85));
        serve(lowVolume, 5, 100, 5, 90);

        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_failure_percentage")).isZero();
        assertThat(picks(fewHosts, 500)).hasSize(5);
        assertThat(picks(lowVolume, 500)).hasSize(5);
    }

    @Test
    void anEndpointBelowTheRequestVolumeIsNotJudgedThoughOthersAre() {
        LoadBalancer lb = balancer(5, failurePercentage(4, 50, 85));

        serve(lb, 4, 100, 0, 0);
        fail(lb, endpoint(5), 503, 40);
        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_failure_percentage")).isZero();
        assertThat(picks(lb, 500)).hasSize(5);
    }

    @Test
    void withSplitOriginsLocalFailuresEjectByTheirOwnFailurePercentage() {
        LoadBalancer lb = balancer(5, consecutive(0, 0, 50).splitExternalLocalOriginErrors(true)
                .consecutiveLocalOriginFailure(0, 0).enforcingSuccessRate(0).enforcingLocalOriginSuccessRate(0)
                .enforcingFailurePercentage(0).enforcingFailurePercentageLocalOrigin(100)
                .failurePercentage(5, 50, 85).build());

        serve(lb, 5, 100, 0, 0);
        fail(lb, endpoint(3), 0, 900);
        time.advance(INTERVAL);

        assertThat(stat("ejections_detected_failure_percentage")).isZero();
        assertThat(stat("ejections_enforced_failure_percentage_local_origin")).isEqualTo(1);
        assertThat(picks(lb, 500)).doesNotContainKey(endpoint(3)).hasSize(4);
    }

    private static void fail(LoadBalancer lb, Endpoint endpoint, int status, int times) {
        for (int i = 0; i < times; i++) {
            lb.started(endpoint);
            lb.finished(endpoint, status);
        }
    }

    private static Map<Endpoint, Integer> picks(LoadBalancer lb, int n) {
        return RoundRobinTest.count(lb, n);
    }
}
