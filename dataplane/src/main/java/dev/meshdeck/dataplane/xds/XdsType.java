package dev.meshdeck.dataplane.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/** The xDS resource types the sidecar subscribes to, in the order Envoy applies them. */
public enum XdsType {
    CDS("type.googleapis.com/envoy.config.cluster.v3.Cluster", Cluster.class, true),
    EDS("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", ClusterLoadAssignment.class, false),
    LDS("type.googleapis.com/envoy.config.listener.v3.Listener", Listener.class, true),
    RDS("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", RouteConfiguration.class, false);

    private final String typeUrl;
    private final Class<? extends Message> messageClass;
    private final boolean wildcard;

    XdsType(String typeUrl, Class<? extends Message> messageClass, boolean wildcard) {
        this.typeUrl = typeUrl;
        this.messageClass = messageClass;
        this.wildcard = wildcard;
    }

    public String typeUrl() {
        return typeUrl;
    }

    public Class<? extends Message> messageClass() {
        return messageClass;
    }

    /** LDS and CDS are subscribed to as a whole (state of the world); RDS and EDS by name. */
    public boolean wildcard() {
        return wildcard;
    }

    public static java.util.Optional<XdsType> ofTypeUrl(String typeUrl) {
        for (XdsType t : values()) {
            if (t.typeUrl.equals(typeUrl)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
