package dev.meshdeck.dataplane.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterReaderOutlierTest {
    private static final String NAME = "outbound|80|v1|reviews.default.svc.cluster.local";

    private static dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster withOutliers(
            io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.Builder o) {
        return LiteProtos.cluster(Cluster.newBuilder().setName(NAME).setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance())))
                .setOutlierDetection(o).build());
    }

    private static com.google.protobuf.Duration seconds(long s) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
    }

    @Test
    void anEmptyOutlierDetectionMeansEnvoysDefaults() {
        OutlierDetection read = ClusterReader.read(withOutliers(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection
                .newBuilder())).config().outlierDetection();

        assertThat(read).isEqualTo(OutlierDetection.ENVOY_DEFAULTS);
        assertThat(read.enforcingSuccessRate()).isEqualTo(100);
        assertThat(read.enforcingConsecutiveGatewayFailure()).isZero();
        assertThat(read.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void readsEveryDetectorAndTheEjectionTimes() {
        OutlierDetection read = ClusterReader.read(withOutliers(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection
                .newBuilder()
                .setConsecutive5Xx(UInt32Value.of(3)).setEnforcingConsecutive5Xx(UInt32Value.of(50))
                .setConsecutiveGatewayFailure(UInt32Value.of(2)).setEnforcingConsecutiveGatewayFailure(UInt32Value.of(100))
                .setSplitExternalLocalOriginErrors(true)
                .setConsecutiveLocalOriginFailure(UInt32Value.of(4))
                .setEnforcingConsecutiveLocalOriginFailure(UInt32Value.of(90))
                .setEnforcingSuccessRate(UInt32Value.of(80)).setEnforcingLocalOriginSuccessRate(UInt32Value.of(70))
                .setSuccessRateMinimumHosts(UInt32Value.of(3)).setSuccessRateRequestVolume(UInt32Value.of(20))
                .setSuccessRateStdevFactor(UInt32Value.of(1000))
                .setEnforcingFailurePercentage(UInt32Value.of(60))
                .setEnforcingFailurePercentageLocalOrigin(UInt32Value.of(40))
                .setFailurePercentageMinimumHosts(UInt32Value.of(2)).setFailurePercentageRequestVolume(UInt32Value.of(10))
                .setFailurePercentageThreshold(UInt32Value.of(75))
                .setInterval(seconds(2)).setBaseEjectionTime(seconds(15)).setMaxEjectionTime(seconds(60))
                .setMaxEjectionPercent(UInt32Value.of(40))))
                .config().outlierDetection();

        assertThat(read).isEqualTo(new OutlierDetection(3, 50, 2, 100, true, 4, 90, 80, 70, 3, 20, 1000,
                60, 40, 2, 10, 75, Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(60), 40));
    }

    @Test
    void failurePercentageEjectionIsOffUnlessEnforcedAndHasEnvoysDefaults() {
        OutlierDetection read = ClusterReader.read(withOutliers(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection
                .newBuilder().setEnforcingFailurePercentage(UInt32Value.of(100)))).config().outlierDetection();

        assertThat(OutlierDetection.ENVOY_DEFAULTS.enforcingFailurePercentage()).isZero();
        assertThat(OutlierDetection.ENVOY_DEFAULTS.enforcingFailurePercentageLocalOrigin()).isZero();
        assertThat(read.enforcingFailurePercentage()).isEqualTo(100);
        assertThat(read.failurePercentageThreshold()).isEqualTo(85);
        assertThat(read.failurePercentageMinimumHosts()).isEqualTo(5);
        assertThat(read.failurePercentageRequestVolume()).isEqualTo(50);
    }

    @Test
    void rejectsAFailurePercentageThresholdAboveOneHundred() {
        var c = withOutliers(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
                .setEnforcingFailurePercentage(UInt32Value.of(100)).setFailurePercentageThreshold(UInt32Value.of(101)));

        assertThatThrownBy(() -> ClusterReader.read(c)).isInstanceOf(XdsConfigException.class)
                .hasMessage("cluster " + NAME
                        + ".outlier_detection: outlier detection: failure_percentage_threshold 101 (expected: 0..100)");
    }

    @Test
    void rejectsAnEnforcingPercentageAboveOneHundred() {
        var c = withOutliers(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
                .setEnforcingSuccessRate(UInt32Value.of(120)));

        assertThatThrownBy(() -> ClusterReader.read(c)).isInstanceOf(XdsConfigException.class)
                .hasMessage("cluster " + NAME
                        + ".outlier_detection: outlier detection: enforcing_success_rate 120 (expected: 0..100)");
    }
}
