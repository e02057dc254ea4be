package dev.meshdeck.controller.translate;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshdeck.controller.registry.ProxyInfo;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * Renders what a proxy is sent as JSON in Envoy's config-dump style (proto field names, {@code Any}s
 * expanded), resources in name order, with the snapshot's per-type versions.
 */
final class GoldenJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(HttpConnectionManager.getDescriptor())
                    .add(Router.getDescriptor())
                    .add(HTTPFault.getDescriptor())
                    .add(UpstreamTlsContext.getDescriptor())
                    .add(DownstreamTlsContext.getDescriptor())
                    .add(TlsInspector.getDescriptor())
                    .add(HttpProtocolOptions.getDescriptor())
                    .add(PreviousHostsPredicate.getDescriptor())
                    .build())
            .preservingProtoFieldNames()
            .sortingMapKeys();

    private GoldenJson() {
    }

    static String render(ProxyInfo proxy, TranslatedMesh mesh) {
        ProxyResources r = mesh.resourcesFor(proxy);
        Snapshot s = mesh.snapshotFor(proxy);
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"proxy\": \"").append(proxy.nodeId()).append("\",\n");
        b.append("  \"versions\": {\n");
        b.append("    \"listeners\": \"").append(s.version(Resources.ResourceType.LISTENER)).append("\",\n");
        b.append("    \"routes\": \"").append(s.version(Resources.ResourceType.ROUTE)).append("\",\n");
        b.append("    \"clusters\": \"").append(s.version(Resources.ResourceType.CLUSTER)).append("\",\n");
        b.append("    \"endpoints\": \"").append(s.version(Resources.ResourceType.ENDPOINT)).append("\"\n");
        b.append("  },\n");
        array(b, "listeners", r.listeners(), false);
        array(b, "routes", r.routes(), false);
        array(b, "clusters", r.clusters(), false);
        array(b, "endpoints", r.endpoints(), true);
        return b.append("}\n").toString();
    }

    private static void array(StringBuilder b, String name, List<? extends Message> items, boolean last) {
        b.append("  \"").append(name).append("\": [");
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n").append(indent(print(items.get(i))));
        }
        b.append(items.isEmpty() ? "]" : "\n  ]").append(last ? "\n" : ",\n");
    }

    static String print(Message m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an Any type missing from the golden type registry", e);
        }
    }

    private static String indent(String json) {
        return "    " + json.replace("\n", "\n    ");
    }
}
