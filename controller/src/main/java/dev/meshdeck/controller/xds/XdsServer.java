package dev.meshdeck.controller.xds;

import dev.meshdeck.controller.xds.internal.NackAwareAdsService;
import dev.meshdeck.controller.xds.internal.NackParkingConfigWatcher;
import dev.meshdeck.controller.xds.internal.SharedResourceSerializer;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The xDS server: ADS and the per-type discovery services (LDS, RDS, CDS, EDS, SDS) of java-control-plane
 * over a snapshot cache grouped by node id, on one gRPC port (with, in a controller, the mesh CA's
 * certificate service). All the intelligence is in the snapshots
 * set in {@link #cache()}; see {@link SnapshotPublisher}.
 */
public final class XdsServer implements AutoCloseable {
    /** Istio's plaintext xDS port. */
    public static final int DEFAULT_PORT = 15010;

    private final SimpleCache<String> cache;
    private final Server server;

    private XdsServer(SimpleCache<String> cache, Server server) {
        this.cache = cache;
        this.server = server;
    }

    /** A snapshot cache with one snapshot per node id. */
    public static SimpleCache<String> newCache() {
        return new SimpleCache<>(Node::getId);
    }

    /**
     * Starts serving {@code cache} on {@code address} (port 0 for any free port), calling {@code callbacks}
     * (typically the {@code ProxyRegistry} and the {@link SyncTracker}) for every stream event.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static XdsServer start(InetSocketAddress address, SimpleCache<String> cache,
                                  List<? extends DiscoveryServerCallbacks> callbacks) {
        return start(address, cache, callbacks, List.of());
    }

    /**
     * Like {@link #start(InetSocketAddress, SimpleCache, List)}, with more services on the same port (as
     * Istio serves its CA beside xDS): the controller adds Istio's certificate service.
     */
    public static XdsServer start(InetSocketAddress address, SimpleCache<String> cache,
                                  List<? extends DiscoveryServerCallbacks> callbacks,
                                  List<? extends BindableService> services) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(cache, "cache");
        // Responses are serialized on the thread that sets a snapshot (the default executor group is direct);
        // a resource shared by many proxies is packed once for all of them.
        V3DiscoveryServer xds = new V3DiscoveryServer(List.copyOf(callbacks), new NackParkingConfigWatcher(cache),
                new DefaultExecutorGroup(), new SharedResourceSerializer());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                // Long-lived streams, up to a few thousand: find dead peers within a minute, let clients
                // ping as often as grpc-xds and Envoy do, and never cut a healthy stream.
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .maxInboundMessageSize(16 * 1024 * 1024)
                .addService(new NackAwareAdsService(xds.getAggregatedDiscoveryServiceImpl()))
                .addService(xds.getListenerDiscoveryServiceImpl())
                .addService(xds.getRouteDiscoveryServiceImpl())
                .addService(xds.getClusterDiscoveryServiceImpl())
                .addService(xds.getEndpointDiscoveryServiceImpl())
                .addService(xds.getSecretDiscoveryServiceImpl());
        services.forEach(builder::addService);
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("xDS server cannot listen on " + address, e);
        }
        return new XdsServer(cache, server);
    }

    /** The cache the server answers from. */
    public SimpleCache<String> cache() {
        return cache;
    }

    /** The port the server listens on (the bound one when it was started on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** Ends every stream and stops listening. */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
