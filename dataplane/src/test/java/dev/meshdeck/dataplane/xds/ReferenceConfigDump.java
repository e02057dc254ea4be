package dev.meshdeck.dataplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What {@code /config_dump} printed before it had its own descriptor set: the accepted resources re-read into the
 * full Envoy classes and printed with protobuf-java-util's {@code JsonFormat} (the reference the sidecar's
 * output is held to, byte for byte).
 */
final class ReferenceConfigDump {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(GoldenXds.registry())
            .preservingProtoFieldNames();

    private ReferenceConfigDump() {
    }

    static String render(XdsResources state, Map<String, String> versions) {
        return render(state, versions, null);
    }

    /** With {@code resource} (a field of the dump, or null for all of it): that field's entries, each packed. */
    static String render(XdsResources state, Map<String, String> versions, String resource) {
        String lds = versions.getOrDefault("LDS", "");
        String rds = versions.getOrDefault("RDS", "");
        String cds = versions.getOrDefault("CDS", "");
        String eds = versions.getOrDefault("EDS", "");
        ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder().setVersionInfo(lds);
        state.listeners().forEach((name, l) -> listeners.addDynamicListeners(ListenersConfigDump.DynamicListener
                .newBuilder().setName(name).setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
                        .setVersionInfo(lds).setListener(printableAny(full(l, Listener.parser()))))));
        RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
        state.routes().values().forEach(rc -> routes.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig
                .newBuilder().setVersionInfo(rds).setRouteConfig(printableAny(full(rc, RouteConfiguration.parser())))));
        ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder().setVersionInfo(cds);
        state.clusters().values().forEach(c -> clusters.addDynamicActiveClusters(ClustersConfigDump.DynamicCluster
                .newBuilder().setVersionInfo(cds).setCluster(printableAny(full(c, Cluster.parser())))));
        EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
        state.endpoints().values().forEach(e -> endpoints.addDynamicEndpointConfigs(
                EndpointsConfigDump.DynamicEndpointConfig.newBuilder().setVersionInfo(eds)
                        .setEndpointConfig(printableAny(full(e, ClusterLoadAssignment.parser())))));
        ConfigDump dump = ConfigDump.newBuilder()
                .addConfigs(Any.pack(listeners.build()))
                .addConfigs(Any.pack(routes.build()))
                .addConfigs(Any.pack(clusters.build()))
                .addConfigs(Any.pack(endpoints.build()))
                .build();
        if (resource != null) {
            ConfigDump.Builder only = ConfigDump.newBuilder();
            List<? extends Message> entries = switch (resource) {
                case "dynamic_listeners" -> listeners.getDynamicListenersList();
                case "dynamic_route_configs" -> routes.getDynamicRouteConfigsList();
                case "dynamic_active_clusters" -> clusters.getDynamicActiveClustersList();
                case "dynamic_endpoint_configs" -> endpoints.getDynamicEndpointConfigsList();
                default -> throw new IllegalArgumentException(resource);
            };
            entries.forEach(m -> only.addConfigs(Any.pack(m)));
            dump = only.build();
        }
        try {
            return PRINTER.print(dump);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T extends Message> T full(MessageLite lite, Parser<T> parser) {
        try {
            return parser.parseFrom(lite.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resource packed, or, if it holds an {@code Any} of a type the registry cannot name, just its name. */
    private static Any printableAny(Message m) {
        Any any = Any.pack(m);
        try {
            PRINTER.print(any);
            return any;
        } catch (InvalidProtocolBufferException e) {
            var name = m.getDescriptorForType().findFieldByName("name");
            Message.Builder stripped = m.newBuilderForType();
            if (name != null) {
                stripped.setField(name, m.getField(name));
            }
            return Any.pack(stripped.build());
        }
    }
}
