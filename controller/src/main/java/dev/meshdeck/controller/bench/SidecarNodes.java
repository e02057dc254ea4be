package dev.meshdeck.controller.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * The xDS node a simulated sidecar sends, with the metadata of {@code docs/xds-node-metadata.md}. The
 * controller reads it back with {@link dev.meshdeck.controller.registry.ProxyInfo#fromNode}.
 */
public final class SidecarNodes {
    private SidecarNodes() {
    }

    /**
     * A sidecar of {@code service} {@code version} in {@code namespace} (labels {@code app} and
     * {@code version}); a port of 0 is left out, so the controller takes its default.
     */
    public static Node sidecar(String id, String service, String namespace, String version, String address,
                               int inboundPort, int outboundPort, int appPort) {
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("SERVICE", string(service))
                .putFields("NAMESPACE", string(namespace))
                .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("app", string(service))
                        .putFields("version", string(version))).build())
                .putFields("INSTANCE_IPS", string(address));
        putPort(metadata, "INBOUND_PORT", inboundPort);
        putPort(metadata, "OUTBOUND_PORT", outboundPort);
        putPort(metadata, "APP_PORT", appPort);
        return Node.newBuilder().setId(id).setCluster(service).setMetadata(metadata).build();
    }

    private static void putPort(Struct.Builder metadata, String key, int port) {
        if (port > 0) {
            metadata.putFields(key, Value.newBuilder().setNumberValue(port).build());
        }
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
