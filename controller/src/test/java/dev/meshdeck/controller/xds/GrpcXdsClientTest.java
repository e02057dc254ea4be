package dev.meshdeck.controller.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.testing.GreeterMesh;
import dev.meshdeck.controller.testing.VirtualScheduler;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's own xDS client (proxyless gRPC) against our xDS server: it resolves {@code xds:///greeter}
 * from the snapshot, splits calls between two real backends by the route's weights, and follows a weight
 * change without a restart.
 */
class GrpcXdsClientTest {
    /** A resolver scheme of this test's own, so that the bootstrap is this test's and no JVM-wide property. */
    private static final String SCHEME = "meshdeck-xds-test";
    private static final int CALLS = 1000;

    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("meshdeck.test.Greeter/Who")
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final ProxyRegistry registry = new ProxyRegistry(scheduler.clock(), scheduler);
    private final SimpleCache<String> cache = XdsServer.newCache();
    private final SyncTracker tracker = new SyncTracker(registry, cache, scheduler.clock());
    private final AtomicReference<Snapshot> mesh = new AtomicReference<>();
    private Server backendA;
    private Server backendB;
    private XdsServer xds;
    private SnapshotPublisher publisher;
    private XdsNameResolverProvider resolver;
    private ManagedChannel channel;

    private static Server backend(String name) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("meshdeck.test.Greeter")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service).build().start();
    }

    private static InetSocketAddress loopback(Server server) {
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.getListenSockets().get(0)).getPort());
    }

    @BeforeEach
    void start() throws IOException {
        backendA = backend("a");
        backendB = backend("b");
        mesh.set(GreeterMesh.snapshot(80, 20, loopback(backendA), loopback(backendB)));
        xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), cache, List.of(registry, tracker));
        publisher = new SnapshotPublisher(cache, registry, proxy -> mesh.get());

        Map<String, ?> bootstrap = Map.of(
                "xds_servers", List.of(Map.of(
                        "server_uri", "127.0.0.1:" + xds.port(),
                        "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))),
                "node", Map.of("id", "greeter-client~1", "metadata", Map.of("GENERATOR", "grpc")));
        resolver = XdsNameResolverProvider.createForTest(SCHEME, bootstrap);
        NameResolverRegistry.getDefaultRegistry().register(resolver);
        channel = Grpc.newChannelBuilder(SCHEME + ":///" + GreeterMesh.LISTENER, InsecureChannelCredentials.create())
                .build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        NameResolverRegistry.getDefaultRegistry().deregister(resolver);
        publisher.close();
        xds.close();
        backendA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        backendB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The share of {@code calls} calls that backend {@code a} answered, in percent. */
    private double percentToA(int calls) {
        int a = 0;
        for (int i = 0; i < calls; i++) {
            String who = ClientCalls.blockingUnaryCall(channel, WHO,
                    CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
            if (who.equals("a")) {
                a++;
            }
        }
        return 100.0 * a / calls;
    }

    @Test
    void spreadsCallsByTheRouteWeightsAndFollowsAWeightChange() {
        assertThat(percentToA(CALLS)).isBetween(75.0, 85.0);
        assertThat(registry.member("greeter-client~1"))
                .hasValueSatisfying(m -> assertThat(m.info().type()).isEqualTo(ProxyType.PROXYLESS_GRPC));

        mesh.set(GreeterMesh.snapshot(20, 80, loopback(backendA), loopback(backendB)));
        publisher.publishAll();
        String routes = mesh.get().version(ResourceType.ROUTE);
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.status("greeter-client~1")
                .map(s -> s.types().get("RDS").acked().equals(routes)).orElse(false));
        // The ACK goes out before the channel switches pickers; a small sample shows when it has.
        await().atMost(Duration.ofSeconds(10)).until(() -> percentToA(50) < 50);

        assertThat(percentToA(CALLS)).isBetween(15.0, 25.0);
    }
}
