package dev.meshdeck.dataplane.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Fixtures are written with the full Envoy classes (as the controller sends them); the sidecar reads its own
 * lite classes. This carries resources across as the wire does: by their bytes.
 */
final class Lite {
    private Lite() {
    }

    /** A state of full resources, in the sidecar's classes. */
    static XdsResources state(List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
                              List<ClusterLoadAssignment> endpoints) {
        return XdsResources.of(
                of(XdsType.LDS, listeners).stream()
                        .map(dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener.class::cast).toList(),
                of(XdsType.RDS, routes).stream()
                        .map(dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration.class::cast).toList(),
                of(XdsType.CDS, clusters).stream()
                        .map(dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster.class::cast).toList(),
                of(XdsType.EDS, endpoints).stream()
                        .map(dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment.class::cast)
                        .toList());
    }

    /** A full listener, in the sidecar's class. */
    static dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener listener(Listener full) {
        return (dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener) of(XdsType.LDS, List.of(full)).getFirst();
    }

    /** A full cluster, in the sidecar's class. */
    static dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster cluster(Cluster full) {
        return (dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster) of(XdsType.CDS, List.of(full)).getFirst();
    }

    /** Full resources of {@code type}, in the sidecar's classes. */
    static List<MessageLite> of(XdsType type, List<? extends Message> full) {
        return full.stream().<MessageLite>map(m -> {
            try {
                return type.parser().parseFrom(m.toByteString());
            } catch (InvalidProtocolBufferException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
