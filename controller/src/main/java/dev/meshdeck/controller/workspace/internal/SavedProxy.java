package dev.meshdeck.controller.workspace.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import java.util.Map;

/**
 * One proxy as the registry file stores it: the fields of {@link ProxyInfo}, by name, so that the file does
 * not change shape when the record gains a method.
 */
public record SavedProxy(@JsonProperty("nodeId") String nodeId,
                         @JsonProperty("type") String type,
                         @JsonProperty("service") String service,
                         @JsonProperty("namespace") String namespace,
                         @JsonProperty("labels") Map<String, String> labels,
                         @JsonProperty("address") String address,
                         @JsonProperty("inboundPort") int inboundPort,
                         @JsonProperty("outboundPort") int outboundPort,
                         @JsonProperty("appPort") int appPort,
                         @JsonProperty("serviceAccount") String serviceAccount) {

    public static SavedProxy of(ProxyInfo p) {
        return new SavedProxy(p.nodeId(), p.type().name(), p.service(), p.namespace(), p.labels(), p.address(),
                p.inboundPort(), p.outboundPort(), p.appPort(), p.serviceAccount());
    }

    /**
     * The proxy this entry describes.
     *
     * @throws IllegalArgumentException naming the field when the entry is not a valid proxy
     */
    public ProxyInfo toProxyInfo() {
        if (nodeId == null || nodeId.isEmpty()) {
            throw new IllegalArgumentException("nodeId: missing (expected: the proxy's node id)");
        }
        ProxyType proxyType;
        try {
            proxyType = ProxyType.valueOf(String.valueOf(type));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy " + nodeId + ": type '" + type + "' (expected: SIDECAR or PROXYLESS_GRPC)", e);
        }
        port("inboundPort", inboundPort);
        port("outboundPort", outboundPort);
        port("appPort", appPort);
        return new ProxyInfo(nodeId, proxyType, service, namespace, labels, address, inboundPort, outboundPort,
                appPort, serviceAccount);
    }

    private void port(String field, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("proxy " + nodeId + ": " + field + " " + value + " (expected: 0..65535)");
        }
    }
}
