package dev.meshdeck.dataplane.xds;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;

/** The xDS resource types the sidecar subscribes to, in the order Envoy applies them. */
public enum XdsType {
    CDS("type.googleapis.com/envoy.config.cluster.v3.Cluster", Cluster.parser(), true),
    EDS("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", ClusterLoadAssignment.parser(), false),
    LDS("type.googleapis.com/envoy.config.listener.v3.Listener", Listener.parser(), true),
    RDS("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", RouteConfiguration.parser(), false);

    private final String typeUrl;
    private final Parser<? extends MessageLite> parser;
    private final boolean wildcard;

    XdsType(String typeUrl, Parser<? extends MessageLite> parser, boolean wildcard) {
        this.typeUrl = typeUrl;
        this.parser = parser;
        this.wildcard = wildcard;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /** Decodes one resource of this type (the {@code value} of its {@code Any}). */
    public Parser<? extends MessageLite> parser() {
        return parser;
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
