package dev.meshdeck.dataplane.xds;

import static dev.meshdeck.dataplane.xds.XdsFixtures.V1;
import static dev.meshdeck.dataplane.xds.XdsFixtures.V2;
import static dev.meshdeck.dataplane.xds.XdsFixtures.assignment;
import static dev.meshdeck.dataplane.xds.XdsFixtures.edsCluster;
import static dev.meshdeck.dataplane.xds.XdsFixtures.outboundListener;
import static dev.meshdeck.dataplane.xds.XdsFixtures.router;
import static dev.meshdeck.dataplane.xds.XdsFixtures.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.config.Route;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import dev.meshdeck.dataplane.grpc.GrpcChannel;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ADS client (on the sidecar's own gRPC client) against java-control-plane's real xDS server, served by
 * grpc-java, on a loopback port.
 */
class AdsClientTest {
    private static final NodeIdentity NODE = new NodeIdentity("sidecar~127.0.0.1~productpage-v1.default",
            "productpage", "default", Map.of("version", "v1"), "127.0.0.1", 15006, 15001, 9080, null);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SimpleCache<String> cache = new SimpleCache<>(Node::getId);
    private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ProxyConfig> published = new CopyOnWriteArrayList<>();
    private final List<String> streamEnds = new CopyOnWriteArrayList<>();
    private Server server;
    private GrpcChannel channel;
    private ScheduledExecutorService scheduler;
    private AdsClient client;

    @BeforeEach
    void start() throws IOException {
        server = startServer(0);
        int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
        channel = GrpcChannel.forTarget("127.0.0.1:" + port, AdsClient.CHANNEL_OPTIONS);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        client = new AdsClient(channel, NODE, published::add, scheduler, new Random(7),
                Duration.ofMillis(50), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        channel.close();
        scheduler.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private Server startServer(int port) throws IOException {
        DiscoveryServerCallbacks callbacks = new DiscoveryServerCallbacks() {
            @Override
            public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
                requests.add(request);
            }

            @Override
            public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
            }

            @Override
            public void onStreamClose(long streamId, String typeUrl) {
                streamEnds.add("closed by the proxy");
            }

            @Override
            public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
                streamEnds.add("error: " + error);
            }
        };
        V3DiscoveryServer xds = new V3DiscoveryServer(callbacks, cache);
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(xds.getAggregatedDiscoveryServiceImpl())
                .build().start();
    }

    private void setSnapshot(String version, List<Listener> listeners, RouteConfiguration routes,
                             List<ClusterLoadAssignment> endpoints) {
        List<Cluster> clusters = List.of(edsCluster(V1), edsCluster(V2));
        cache.setSnapshot(NODE.id(), Snapshot.create(clusters, "c" + version, endpoints, "e" + version,
                listeners, "l" + version, List.of(routes), "r" + version, List.of(), ""));
    }

    private void setSplit(String version, int w1, int w2) {
        setSnapshot(version, List.of(outboundListener()), split(w1, w2), bothAssignments());
    }

    private static List<ClusterLoadAssignment> bothAssignments() {
        return List.of(assignment(V1, "127.0.0.1", 20001), assignment(V2, "127.0.0.1", 20002));
    }

    private static List<Route.WeightedCluster> weights(ProxyConfig config) {
        return config.routes().get("outbound").virtualHosts().getFirst().routes().getFirst().action().clusters();
    }

    private ProxyConfig latest() {
        return published.getLast();
    }

    @Test
    void publishesTheConfigOfASnapshotAndAcksEveryType() {
        setSplit("1", 80, 20);
        client.start();

        await().atMost(WAIT).until(() -> !published.isEmpty());
        assertThat(weights(latest())).containsExactly(new Route.WeightedCluster(V1, 80), new Route.WeightedCluster(V2, 20));
        assertThat(latest().clusters().get(V1).endpoints()).extracting(e -> e.port()).containsExactly(20001);
        assertThat(latest().versions()).containsEntry("LDS", "l1").containsEntry("EDS", "e1");
        await().atMost(WAIT).until(() -> client.versions().equals(Map.of("CDS", "c1", "EDS", "e1", "LDS", "l1", "RDS", "r1")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(requests)
                .filteredOn(r -> !r.getResponseNonce().isEmpty() && !r.hasErrorDetail())
                .extracting(DiscoveryRequest::getVersionInfo)
                .contains("c1", "e1", "l1", "r1"));
        assertThat(requests).allSatisfy(r -> assertThat(r.getNode().getId()).isEqualTo(NODE.id()));
        assertThat(requests).filteredOn(r -> r.getTypeUrl().equals(XdsType.RDS.typeUrl()) && !r.getResourceNamesList().isEmpty())
                .allSatisfy(r -> assertThat(r.getResourceNamesList()).containsExactly("outbound"));
        assertThat(published).hasSize(1);
    }

    @Test
    void publishesANewConfigWhenTheSnapshotChanges() {
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());

        setSplit("2", 20, 80);

        await().atMost(WAIT).until(() -> weights(latest()).getFirst().weight() == 20);
        assertThat(weights(latest())).containsExactly(new Route.WeightedCluster(V1, 20), new Route.WeightedCluster(V2, 80));
        assertThat(latest().versions()).containsEntry("RDS", "r2");
    }

    @Test
    void nacksAnInvalidListenerWithTheReasonAndKeepsTheLastGoodConfig() {
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());
        ProxyConfig good = latest();

        HttpFilter unknown = HttpFilter.newBuilder().setName("acme.filters.http.magic")
                .setTypedConfig(Any.pack(Empty.getDefaultInstance())).build();
        setSnapshot("2", List.of(outboundListener(unknown, router())), split(80, 20), bothAssignments());

        await().atMost(WAIT).untilAsserted(() -> assertThat(requests).filteredOn(DiscoveryRequest::hasErrorDetail)
                .first().satisfies(nack -> {
                    assertThat(nack.getTypeUrl()).isEqualTo(XdsType.LDS.typeUrl());
                    assertThat(nack.getVersionInfo()).isEqualTo("l1");
                    assertThat(nack.getResponseNonce()).isNotEmpty();
                    assertThat(nack.getErrorDetail().getMessage())
                            .contains("listener outbound")
                            .contains("http_filters[acme.filters.http.magic]")
                            .contains("unknown filter");
                }));
        assertThat(client.config()).contains(good);
        assertThat(client.versions()).containsEntry("LDS", "l1");
        assertThat(client.lastNack()).hasValueSatisfying(n -> assertThat(n).contains("acme.filters.http.magic"));
        assertThat(latest()).isSameAs(good);

        setSplit("3", 50, 50);
        await().atMost(WAIT).until(() -> weights(latest()).getFirst().weight() == 50);
    }

    @Test
    void nacksAClusterWhoseTlsNamesAnSdsSecretOtherThanTheLocalOnes() {
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());

        Cluster foreign = edsCluster(V1).toBuilder().setTransportSocket(io.envoyproxy.envoy.config.core.v3.TransportSocket
                .newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(
                        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.newBuilder()
                                .setCommonTlsContext(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext
                                        .newBuilder().setValidationContextSdsSecretConfig(
                                                io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig
                                                        .newBuilder().setName("file-root")))
                                .build()))).build();
        cache.setSnapshot(NODE.id(), Snapshot.create(List.of(foreign, edsCluster(V2)), "c2", bothAssignments(), "e1",
                List.of(outboundListener()), "l1", List.of(split(80, 20)), "r1", List.of(), ""));

        await().atMost(WAIT).untilAsserted(() -> assertThat(requests).filteredOn(DiscoveryRequest::hasErrorDetail)
                .first().satisfies(nack -> {
                    assertThat(nack.getTypeUrl()).isEqualTo(XdsType.CDS.typeUrl());
                    assertThat(nack.getVersionInfo()).isEqualTo("c1");
                    assertThat(nack.getErrorDetail().getMessage()).isEqualTo("cluster " + V1
                            + ".transport_socket[envoy.transport_sockets.tls].typed_config.common_tls_context"
                            + ".validation_context_sds_secret_config: secret file-root: only the local secrets default "
                            + "and ROOTCA are supported");
                }));
        assertThat(client.versions()).containsEntry("CDS", "c1");
    }

    @Test
    void nacksAConfigTheSidecarCannotPutInPlaceAndAcksTheNextOne() throws Exception {
        client.close();
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        client = new AdsClient(channel, NODE, config -> {
            if (refuse.get() && weights(config).getFirst().weight() == 20) {
                throw new IllegalStateException("port 15001 is taken");
            }
            published.add(config);
        }, scheduler, new Random(7), Duration.ofMillis(50), Duration.ofMillis(500));
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());
        ProxyConfig good = latest();
        refuse.set(true);

        setSplit("2", 20, 80);

        await().atMost(WAIT).untilAsserted(() -> assertThat(requests).filteredOn(DiscoveryRequest::hasErrorDetail)
                .first().satisfies(nack -> {
                    assertThat(nack.getTypeUrl()).isEqualTo(XdsType.RDS.typeUrl());
                    assertThat(nack.getErrorDetail().getMessage())
                            .isEqualTo("the sidecar cannot apply this config: port 15001 is taken");
                }));
        assertThat(client.config()).contains(good);
        assertThat(client.versions()).containsEntry("RDS", "r1");

        setSplit("3", 50, 50);
        await().atMost(WAIT).until(() -> weights(latest()).getFirst().weight() == 50);
        assertThat(client.versions()).containsEntry("RDS", "r3");
    }

    @Test
    void waitsForEveryReferencedResourceBeforePublishing() {
        setSnapshot("1", List.of(outboundListener()), split(80, 20), List.of(assignment(V1, "127.0.0.1", 20001)));
        client.start();

        await().atMost(WAIT).until(() -> client.versions().containsKey("LDS") && client.versions().containsKey("RDS")
                && client.warming().stream().anyMatch(m -> m.contains(V2)));
        assertThat(published).isEmpty();
        assertThat(client.config()).isEmpty();

        setSplit("2", 80, 20);
        await().atMost(WAIT).until(() -> !published.isEmpty());
        assertThat(latest().clusters()).containsOnlyKeys(V1, V2);
        assertThat(client.warming()).isEmpty();
    }

    @Test
    void keepsItsConfigWhileTheControllerIsAwayAndResyncsWhenItComesBack() throws Exception {
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());
        int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
        ProxyConfig good = latest();

        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> client.streamsOpened() >= 3);
        assertThat(client.config()).contains(good);
        assertThat(published).containsExactly(good);

        setSplit("2", 30, 70);
        server = startServer(port);

        await().atMost(WAIT).until(() -> weights(latest()).getFirst().weight() == 30);
        assertThat(client.connected()).isTrue();
        assertThat(latest().versions()).containsEntry("RDS", "r2");
    }

    @Test
    void leavingHalfClosesTheStreamKeepsTheConfigAndNeverReconnects() throws Exception {
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());
        ProxyConfig good = latest();

        client.leave().get(20, TimeUnit.SECONDS);

        assertThat(streamEnds).containsExactly("closed by the proxy");
        assertThat(client.connected()).isFalse();
        setSplit("2", 30, 70);
        // This client's reconnect backoff is at most 500 ms: a reconnect would come within the second.
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> client.streamsOpened() == 1);
        assertThat(client.config()).contains(good);
        assertThat(client.leave()).isCompleted();
    }

    @Test
    void dumpsTheAcceptedResourcesAsEnvoyConfigDumpJson() {
        setSplit("1", 80, 20);
        client.start();
        await().atMost(WAIT).until(() -> !published.isEmpty());

        String json = client.configDumpJson();

        assertThat(json).contains("type.googleapis.com/envoy.admin.v3.ListenersConfigDump")
                .contains("type.googleapis.com/envoy.admin.v3.ClustersConfigDump")
                .contains("\"version_info\": \"l1\"")
                .contains("\"route_config_name\": \"outbound\"")
                .contains(V2)
                .contains("\"port_value\": 20002");
    }
}
