package dev.meshdeck.controller.registry;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A connected xDS client as the controller knows it, read from the {@link Node} it sent. The metadata
 * keys are the wire contract of {@code docs/xds-node-metadata.md}.
 *
 * @param nodeId       the node's id, unique per proxy
 * @param type         sidecar or proxyless gRPC
 * @param service      the service the workload behind the proxy serves (empty for a pure client)
 * @param namespace    its namespace
 * @param labels       workload labels ({@code version} among them), sorted
 * @param address      where other sidecars reach this proxy's inbound listener
 * @param inboundPort  the inbound listener's port (0: none)
 * @param outboundPort the outbound listener's port
 * @param appPort      the local app's port (0: none)
 * @param serviceAccount the workload's service account
 */
public record ProxyInfo(String nodeId, ProxyType type, String service, String namespace, Map<String, String> labels,
                        String address, int inboundPort, int outboundPort, int appPort, String serviceAccount) {

    public static final int DEFAULT_OUTBOUND_PORT = 15001;
    public static final int DEFAULT_INBOUND_PORT = 15006;

    public ProxyInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(type, "type");
        service = service == null ? "" : service;
        namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
        address = address == null || address.isEmpty() ? "127.0.0.1" : address;
        serviceAccount = serviceAccount == null || serviceAccount.isEmpty() ? service : serviceAccount;
    }

    /** Whether the proxy fronts a workload that other proxies can send traffic to. */
    public boolean servesTraffic() {
        return type == ProxyType.SIDECAR && !service.isEmpty() && inboundPort > 0;
    }

    /** Reads a proxy from its node; absent ports take Istio's defaults (outbound 15001, inbound 15006). */
    public static ProxyInfo fromNode(Node node) {
        Map<String, Value> f = node.getMetadata().getFieldsMap();
        ProxyType type = "grpc".equalsIgnoreCase(string(f, "GENERATOR")) ? ProxyType.PROXYLESS_GRPC : ProxyType.SIDECAR;
        Map<String, String> labels = new TreeMap<>();
        Value l = f.get("LABELS");
        if (l != null && l.hasStructValue()) {
            Struct s = l.getStructValue();
            s.getFieldsMap().forEach((k, v) -> labels.put(k, v.hasStringValue() ? v.getStringValue() : stringOf(v)));
        }
        String service = string(f, "SERVICE");
        if (service == null && type == ProxyType.SIDECAR && !node.getCluster().isEmpty()) {
            service = node.getCluster();
        }
        String ips = string(f, "INSTANCE_IPS");
        String address = ips == null ? null : ips.split(",")[0].trim();
        return new ProxyInfo(node.getId(), type, service, string(f, "NAMESPACE"), labels, address,
                port(f, "INBOUND_PORT", type == ProxyType.SIDECAR ? DEFAULT_INBOUND_PORT : 0),
                port(f, "OUTBOUND_PORT", type == ProxyType.SIDECAR ? DEFAULT_OUTBOUND_PORT : 0),
                port(f, "APP_PORT", 0),
                string(f, "SERVICE_ACCOUNT"));
    }

    private static String string(Map<String, Value> f, String key) {
        Value v = f.get(key);
        return v == null ? null : stringOf(v);
    }

    private static String stringOf(Value v) {
        return switch (v.getKindCase()) {
            case STRING_VALUE -> v.getStringValue();
            case NUMBER_VALUE -> Long.toString((long) v.getNumberValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> null;
        };
    }

    private static int port(Map<String, Value> f, String key, int dflt) {
        Value v = f.get(key);
        if (v == null) {
            return dflt;
        }
        int p;
        if (v.hasNumberValue()) {
            p = (int) v.getNumberValue();
        } else if (v.hasStringValue()) {
            try {
                p = Integer.parseInt(v.getStringValue().trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        } else {
            return dflt;
        }
        return p >= 0 && p <= 65535 ? p : dflt;
    }
}
