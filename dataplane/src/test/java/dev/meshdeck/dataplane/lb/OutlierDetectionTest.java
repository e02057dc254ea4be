package dev.meshdeck.dataplane.lb;

import static dev.meshdeck.dataplane.lb.Clusters.endpoint;
import static dev.meshdeck.dataplane.lb.Clusters.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlierDetectionTest {
    private static final Duration BASE = Duration.ofSeconds(30);
    private final ManualClock clock = new ManualClock();

    private LoadBalancer balancer(int endpoints, int consecutive5xx, int consecutiveGateway, int maxPercent) {
        var outliers = new OutlierDetection(consecutive5xx, consecutiveGateway, Duration.ofSeconds(10), BASE, maxPercent);
        return LoadBalancers.create(Clusters.cluster(LbPolicy.ROUND_ROBIN, endpoints(endpoints), outliers),
                new Random(1), clock);
    }

    @Test
    void anEndpointFailingFiveTimesInARowIsEjectedAndReturnsAfterTheEjectionTime() {
        LoadBalancer lb = balancer(3, 5, 0, 50);

        fail(lb, endpoint(1), 503, 5);

        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        clock.advance(BASE.minusMillis(1));
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(picks(lb, 300)).containsKey(endpoint(1));
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
        clock.advance(BASE);

        fail(lb, endpoint(1), 503, 5);
        clock.advance(BASE.multipliedBy(2).minusMillis(1));
        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(picks(lb, 300)).containsKey(endpoint(1));
    }

    @Test
    void connectFailuresCountAsFiveHundreds() {
        LoadBalancer lb = balancer(3, 5, 0, 50);

        fail(lb, endpoint(2), 0, 5);

        assertThat(picks(lb, 300)).doesNotContainKey(endpoint(2));
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
        LoadBalancer lb = LoadBalancers.create(Clusters.cluster(LbPolicy.ROUND_ROBIN, endpoints(2)), new Random(1), clock);

        fail(lb, endpoint(1), 503, 100);

        assertThat(picks(lb, 10)).containsKey(endpoint(1));
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
