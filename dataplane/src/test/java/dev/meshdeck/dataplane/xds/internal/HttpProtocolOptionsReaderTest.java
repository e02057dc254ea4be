package dev.meshdeck.dataplane.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.meshdeck.dataplane.config.ClusterConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code common_http_protocol_options.idle_timeout} of listeners (HCM) and clusters, and the clusters' upstream
 * protocol ({@code HttpProtocolOptions}).
 */
class HttpProtocolOptionsReaderTest {
    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance()).build();

    private static dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener listener(
            HttpConnectionManager.Builder hcm) {
        hcm.setStatPrefix("outbound").setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName("outbound"))
                .addHttpFilters(HttpFilter.newBuilder().setName(ListenerReader.ROUTER)
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())));
        return LiteProtos.listener(Listener.newBuilder().setName("outbound")
                .setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(15001)))
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName(ListenerReader.HCM).setTypedConfig(Any.pack(hcm.build()))))
                .setTrafficDirection(TrafficDirection.OUTBOUND).build());
    }

    private static dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster cluster(Cluster.Builder b) {
        return LiteProtos.cluster(b.setName("c").setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS)).build());
    }

    private static com.google.protobuf.Duration seconds(long s) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
    }

    @Test
    void aListenerWithoutAnIdleTimeoutGetsEnvoysHour() {
        assertThat(ListenerReader.read(listener(HttpConnectionManager.newBuilder())).idleTimeout())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void readsTheListenersIdleTimeoutAndZeroForNone() {
        assertThat(ListenerReader.read(listener(HttpConnectionManager.newBuilder().setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(seconds(90))))).idleTimeout())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(ListenerReader.read(listener(HttpConnectionManager.newBuilder().setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(seconds(0))))).idleTimeout()).isZero();
    }

    @Test
    void readsTheClustersIdleTimeoutOrEnvoysHour() {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(seconds(60)))
                .setUseDownstreamProtocolConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                        .UseDownstreamHttpConfig.getDefaultInstance())
                .build();
        ClusterConfig withOptions = ClusterReader.read(cluster(Cluster.newBuilder()
                .putTypedExtensionProtocolOptions(ClusterReader.HTTP_PROTOCOL_OPTIONS, Any.pack(options)))).config();

        assertThat(withOptions.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ClusterReader.read(cluster(Cluster.newBuilder())).config().idleTimeout())
                .isEqualTo(ClusterConfig.DEFAULT_IDLE_TIMEOUT);
    }

    @Test
    void readsTheClustersMaxRequestsPerConnectionOrNoLimit() {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
                        .setMaxRequestsPerConnection(com.google.protobuf.UInt32Value.of(1)))
                .setUseDownstreamProtocolConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                        .UseDownstreamHttpConfig.getDefaultInstance())
                .build();
        ClusterConfig withOptions = ClusterReader.read(cluster(Cluster.newBuilder()
                .putTypedExtensionProtocolOptions(ClusterReader.HTTP_PROTOCOL_OPTIONS, Any.pack(options)))).config();

        assertThat(withOptions.maxRequestsPerConnection()).isEqualTo(1);
        assertThat(ClusterReader.read(cluster(Cluster.newBuilder())).config().maxRequestsPerConnection()).isZero();
    }

    private static ClusterConfig.UpstreamProtocol protocol(
            io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig.Builder explicit) {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(explicit).build();
        return ClusterReader.read(cluster(Cluster.newBuilder()
                .putTypedExtensionProtocolOptions(ClusterReader.HTTP_PROTOCOL_OPTIONS, Any.pack(options))))
                .config().upstreamProtocol();
    }

    @Test
    void readsAnExplicitUpstreamProtocol() {
        var explicit = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
        assertThat(protocol(explicit.clone().setHttpProtocolOptions(
                io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.getDefaultInstance())))
                .isEqualTo(ClusterConfig.UpstreamProtocol.HTTP1);
        assertThat(protocol(explicit.clone().setHttp2ProtocolOptions(
                io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions.getDefaultInstance())))
                .isEqualTo(ClusterConfig.UpstreamProtocol.HTTP2);
        assertThat(ClusterReader.read(cluster(Cluster.newBuilder())).config().upstreamProtocol())
                .isEqualTo(ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM);
    }
}
