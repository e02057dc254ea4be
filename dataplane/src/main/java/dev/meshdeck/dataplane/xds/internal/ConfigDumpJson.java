package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.meshdeck.dataplane.xds.XdsResources;
import dev.meshdeck.dataplane.xds.internal.ProtoSchema.MessageType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Envoy's admin {@code ConfigDump} of an accepted state, in JSON. The sidecar decodes xDS into its own lite
 * classes, which keep the fields they do not read only as unknown bytes; the dump is written as Envoy's
 * {@code ConfigDump} on the wire around each resource's bytes and printed with the Envoy types of {@link XdsJson},
 * so every field prints.
 */
public final class ConfigDumpJson {
    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";
    private static final String ANY = "google.protobuf.Any";

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
        Writer listeners = message("envoy.admin.v3.ListenersConfigDump").string("version_info", lds);
        for (var l : state.listeners().entrySet()) {
            listeners.message("dynamic_listeners", message("envoy.admin.v3.ListenersConfigDump.DynamicListener")
                    .string("name", l.getKey())
                    .message("active_state", message("envoy.admin.v3.ListenersConfigDump.DynamicListenerState")
                            .string("version_info", lds)
                            .message("listener", printableAny("envoy.config.listener.v3.Listener", l.getValue()))));
        }
        Writer routes = message("envoy.admin.v3.RoutesConfigDump");
        for (MessageLite rc : state.routes().values()) {
            routes.message("dynamic_route_configs", message("envoy.admin.v3.RoutesConfigDump.DynamicRouteConfig")
                    .string("version_info", rds)
                    .message("route_config", printableAny("envoy.config.route.v3.RouteConfiguration", rc)));
        }
        Writer clusters = message("envoy.admin.v3.ClustersConfigDump").string("version_info", cds);
        for (MessageLite c : state.clusters().values()) {
            clusters.message("dynamic_active_clusters", message("envoy.admin.v3.ClustersConfigDump.DynamicCluster")
                    .string("version_info", cds)
                    .message("cluster", printableAny("envoy.config.cluster.v3.Cluster", c)));
        }
        Writer endpoints = message("envoy.admin.v3.EndpointsConfigDump");
        for (MessageLite e : state.endpoints().values()) {
            endpoints.message("dynamic_endpoint_configs",
                    message("envoy.admin.v3.EndpointsConfigDump.DynamicEndpointConfig").string("version_info", eds)
                            .message("endpoint_config",
                                    printableAny("envoy.config.endpoint.v3.ClusterLoadAssignment", e)));
        }
        Writer dump = message("envoy.admin.v3.ConfigDump")
                .message("configs", any(listeners))
                .message("configs", any(routes))
                .message("configs", any(clusters))
                .message("configs", any(endpoints));
        return json.print("envoy.admin.v3.ConfigDump", dump.bytes());
    }

    /**
     * The resource packed as {@code type}: the lite message's bytes are the full message's (same field numbers).
     * If it holds an {@code Any} of a type the set cannot name, just its name (if its type has one).
     */
    private Writer printableAny(String type, MessageLite resource) {
        ByteString bytes = resource.toByteString();
        if (json.printable(type, bytes)) {
            return any(type, bytes);
        }
        Writer stripped = message(type);
        String name = stripped.type.byName().containsKey("name") ? json.string(type, bytes, "name") : null;
        if (name != null) {
            stripped.string("name", name);
        }
        return any(type, stripped.bytes());
    }

    private Writer any(Writer m) {
        return any(m.type.fullName(), m.bytes());
    }

    /** A {@code google.protobuf.Any} as {@code Any.pack} makes it. */
    private Writer any(String type, ByteString value) {
        return message(ANY).string("type_url", TYPE_URL_PREFIX + type).bytes("value", value);
    }

    private Writer message(String type) {
        MessageType t = json.schema().message(type);
        if (t == null) {
            throw new IllegalStateException("no message type " + type + " in " + XdsJson.RESOURCE);
        }
        return new Writer(t);
    }

    /** A message of {@code type} on the wire, its fields written by name. */
    private static final class Writer {
        final MessageType type;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);

        Writer(MessageType type) {
            this.type = type;
        }

        Writer string(String field, String value) {
            try {
                out.writeString(type.field(field).number(), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer bytes(String field, ByteString value) {
            try {
                out.writeBytes(type.field(field).number(), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer message(String field, Writer value) {
            return bytes(field, value.bytes());
        }

        ByteString bytes() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ByteString.copyFrom(bytes.toByteArray());
        }
    }
}
