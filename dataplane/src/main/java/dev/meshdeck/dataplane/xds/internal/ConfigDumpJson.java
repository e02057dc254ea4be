package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import dev.meshdeck.dataplane.xds.XdsResources;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Envoy's admin {@code ConfigDump} of an accepted state, in JSON. The sidecar decodes xDS into its own lite
 * classes, which keep the fields they do not read only as unknown bytes; the dump re-reads each resource's bytes
 * with the Envoy types of {@link XdsJson} (descriptors, as {@link DynamicMessage}s), so every field prints. The
 * types are built for the dump and dropped with it.
 */
public final class ConfigDumpJson {
    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private final XdsJson json;

    private ConfigDumpJson(XdsJson json) {
        this.json = json;
    }

    /** {@code state} with its {@code versions} (by type: {@code LDS}, {@code RDS}, {@code CDS}, {@code EDS}). */
    public static String render(XdsResources state, Map<String, String> versions) {
        return new ConfigDumpJson(XdsJson.load()).dump(state, versions);
    }

    private String dump(XdsResources state, Map<String, String> versions) {
        String lds = versions.getOrDefault("LDS", "");
        String rds = versions.getOrDefault("RDS", "");
        String cds = versions.getOrDefault("CDS", "");
        String eds = versions.getOrDefault("EDS", "");
        Builder listeners = message("envoy.admin.v3.ListenersConfigDump").set("version_info", lds);
        state.listeners().forEach((name, l) -> listeners.add("dynamic_listeners",
                message("envoy.admin.v3.ListenersConfigDump.DynamicListener").set("name", name)
                        .set("active_state", message("envoy.admin.v3.ListenersConfigDump.DynamicListenerState")
                                .set("version_info", lds)
                                .set("listener", printableAny("envoy.config.listener.v3.Listener", l)).build())
                        .build()));
        Builder routes = message("envoy.admin.v3.RoutesConfigDump");
        state.routes().values().forEach(rc -> routes.add("dynamic_route_configs",
                message("envoy.admin.v3.RoutesConfigDump.DynamicRouteConfig").set("version_info", rds)
                        .set("route_config", printableAny("envoy.config.route.v3.RouteConfiguration", rc)).build()));
        Builder clusters = message("envoy.admin.v3.ClustersConfigDump").set("version_info", cds);
        state.clusters().values().forEach(c -> clusters.add("dynamic_active_clusters",
                message("envoy.admin.v3.ClustersConfigDump.DynamicCluster").set("version_info", cds)
                        .set("cluster", printableAny("envoy.config.cluster.v3.Cluster", c)).build()));
        Builder endpoints = message("envoy.admin.v3.EndpointsConfigDump");
        state.endpoints().values().forEach(e -> endpoints.add("dynamic_endpoint_configs",
                message("envoy.admin.v3.EndpointsConfigDump.DynamicEndpointConfig").set("version_info", eds)
                        .set("endpoint_config", printableAny("envoy.config.endpoint.v3.ClusterLoadAssignment", e))
                        .build()));
        Message dump = message("envoy.admin.v3.ConfigDump")
                .add("configs", any(listeners.build()))
                .add("configs", any(routes.build()))
                .add("configs", any(clusters.build()))
                .add("configs", any(endpoints.build()))
                .build();
        return json.print(dump);
    }

    /**
     * The resource packed as {@code type}: the lite message's bytes are the full message's (same field numbers).
     * If it holds an extension config of a type the set cannot name, just its name.
     */
    private Message printableAny(String type, MessageLite resource) {
        ByteString bytes = resource.toByteString();
        Message any = any(type, bytes);
        if (json.printable(any)) {
            return any;
        }
        Descriptor d = json.type(type);
        DynamicMessage full;
        try {
            full = DynamicMessage.parseFrom(d, bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("an accepted " + type + " no longer decodes: " + e.getMessage(), e);
        }
        DynamicMessage.Builder stripped = DynamicMessage.newBuilder(d);
        FieldDescriptor name = d.findFieldByName("name");
        if (name != null) {
            stripped.setField(name, full.getField(name));
        }
        return any(type, stripped.build().toByteString());
    }

    private Message any(Message m) {
        return any(m.getDescriptorForType().getFullName(), m.toByteString());
    }

    /** A {@code google.protobuf.Any} as {@code Any.pack} makes it. */
    private Message any(String type, ByteString value) {
        return message("google.protobuf.Any").set("type_url", TYPE_URL_PREFIX + type).set("value", value).build();
    }

    private Builder message(String type) {
        return new Builder(json.type(type));
    }

    /** A {@link DynamicMessage.Builder} by field name. */
    private static final class Builder {
        private final DynamicMessage.Builder b;

        Builder(Descriptor type) {
            this.b = DynamicMessage.newBuilder(type);
        }

        Builder set(String field, Object value) {
            b.setField(field(field), value);
            return this;
        }

        Builder add(String field, Object value) {
            b.addRepeatedField(field(field), value);
            return this;
        }

        DynamicMessage build() {
            return b.build();
        }

        private FieldDescriptor field(String name) {
            FieldDescriptor f = b.getDescriptorForType().findFieldByName(name);
            if (f == null) {
                throw new IllegalStateException("no field " + name + " in " + b.getDescriptorForType().getFullName()
                        + " (expected: the descriptor set of " + XdsJson.RESOURCE + " names it)");
            }
            return f;
        }
    }
}
