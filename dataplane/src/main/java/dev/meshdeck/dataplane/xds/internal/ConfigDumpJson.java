package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.meshdeck.dataplane.xds.ConfigDumpQuery;
import dev.meshdeck.dataplane.xds.XdsResources;
import dev.meshdeck.dataplane.xds.internal.ProtoSchema.MessageType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
        return render(state, versions, ConfigDumpQuery.ALL);
    }

    /**
     * What {@code query} asks for of {@code state}: the whole dump (its resources filtered by name), or with
     * {@code resource} each entry of that field as a config of its own, packed as its own type, as Envoy's
     * {@code /config_dump?resource=} prints it.
     */
    public static String render(XdsResources state, Map<String, String> versions, ConfigDumpQuery query) {
        return new ConfigDumpJson(XdsJson.load()).dump(state, versions, query);
    }

    /** One entry of a repeated field of the dump: the field, and the entry of its type. */
    private record Entry(String field, Writer entry) {
    }

    private String dump(XdsResources state, Map<String, String> versions, ConfigDumpQuery query) {
        String lds = versions.getOrDefault("LDS", "");
        String rds = versions.getOrDefault("RDS", "");
        String cds = versions.getOrDefault("CDS", "");
        String eds = versions.getOrDefault("EDS", "");
        List<Entry> listeners = entries(state.listeners(), query, "dynamic_listeners", (name, l) ->
                message("envoy.admin.v3.ListenersConfigDump.DynamicListener").string("name", name)
                        .message("active_state", message("envoy.admin.v3.ListenersConfigDump.DynamicListenerState")
                                .string("version_info", lds)
                                .message("listener", printableAny("envoy.config.listener.v3.Listener", l))));
        List<Entry> routes = entries(state.routes(), query, "dynamic_route_configs", (name, rc) ->
                message("envoy.admin.v3.RoutesConfigDump.DynamicRouteConfig").string("version_info", rds)
                        .message("route_config", printableAny("envoy.config.route.v3.RouteConfiguration", rc)));
        List<Entry> clusters = entries(state.clusters(), query, "dynamic_active_clusters", (name, c) ->
                message("envoy.admin.v3.ClustersConfigDump.DynamicCluster").string("version_info", cds)
                        .message("cluster", printableAny("envoy.config.cluster.v3.Cluster", c)));
        List<Entry> endpoints = entries(state.endpoints(), query, "dynamic_endpoint_configs", (name, e) ->
                message("envoy.admin.v3.EndpointsConfigDump.DynamicEndpointConfig").string("version_info", eds)
                        .message("endpoint_config", printableAny("envoy.config.endpoint.v3.ClusterLoadAssignment", e)));
        Writer dump = message("envoy.admin.v3.ConfigDump");
        if (query.resource().isPresent()) {
            String field = query.resource().get();
            for (List<Entry> entries : List.of(listeners, routes, clusters, endpoints)) {
                for (Entry e : entries) {
                    if (e.field().equals(field)) {
                        dump.message("configs", any(e.entry()));
                    }
                }
            }
        } else {
            dump.message("configs", any(section("envoy.admin.v3.ListenersConfigDump", lds, listeners)))
                    .message("configs", any(section("envoy.admin.v3.RoutesConfigDump", null, routes)))
                    .message("configs", any(section("envoy.admin.v3.ClustersConfigDump", cds, clusters)))
                    .message("configs", any(section("envoy.admin.v3.EndpointsConfigDump", null, endpoints)));
        }
        return json.print("envoy.admin.v3.ConfigDump", dump.bytes());
    }

    /** The entries of field {@code field} for the resources {@code query} wants, in their order. */
    private static <R> List<Entry> entries(Map<String, R> byName, ConfigDumpQuery query, String field,
                                           java.util.function.BiFunction<String, R, Writer> entry) {
        List<Entry> out = new ArrayList<>();
        byName.forEach((name, resource) -> {
            if (query.wants(name)) {
                out.add(new Entry(field, entry.apply(name, resource)));
            }
        });
        return out;
    }

    /** A section of the dump of {@code type}: its {@code version_info} (when it has one) and its entries. */
    private Writer section(String type, String version, List<Entry> entries) {
        Writer section = message(type);
        if (version != null) {
            section.string("version_info", version);
        }
        for (Entry e : entries) {
            section.message(e.field(), e.entry());
        }
        return section;
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
