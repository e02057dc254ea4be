package dev.meshdeck.controller.bench;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Simulated sidecars as the controller sees them: real ADS clients ({@link SimulatedProxy}) on loopback connections to
 * its xDS port, each with the node metadata of {@code docs/xds-node-metadata.md}. Closes what it opened.
 */
public final class SimulatedSidecars implements AutoCloseable {
    public static final List<String> ALL_TYPES = List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
            Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL);

    private final int xdsPort;
    private final List<AutoCloseable> opened = new ArrayList<>();

    public SimulatedSidecars(int xdsPort) {
        this.xdsPort = xdsPort;
    }

    /** The node id a sidecar of {@code service} {@code version} in {@code default} connects with. */
    public static String nodeId(String service, String version) {
        return "sidecar~127.0.0.1~" + service + "-" + version + ".default";
    }

    /** A reviewer that rejects every response of {@code typeUrl} with {@code reason} and accepts the rest. */
    public static SimulatedProxy.Reviewer rejecting(String typeUrl, String reason) {
        return response -> response.getTypeUrl().equals(typeUrl) ? Optional.of(reason) : Optional.empty();
    }

    /** Connects a sidecar of {@code service} {@code version}, inbound on {@code inboundPort}, to every xDS type. */
    public SimulatedProxy connect(String service, String version, int inboundPort, SimulatedProxy.Reviewer reviewer) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
        opened.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        Node node = SidecarNodes.sidecar(nodeId(service, version), service, "default", version, "127.0.0.1",
                inboundPort, 0, 0);
        SimulatedProxy proxy = new SimulatedProxy(channel, node, ALL_TYPES, reviewer, (p, type, v, t) -> { });
        opened.add(proxy);
        return proxy;
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            c.close();
        }
        opened.clear();
    }

}
