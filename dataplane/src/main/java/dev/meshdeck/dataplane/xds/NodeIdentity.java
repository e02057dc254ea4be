package dev.meshdeck.dataplane.xds;

import dev.meshdeck.dataplane.xds.proto.google.protobuf.Struct;
import dev.meshdeck.dataplane.xds.proto.google.protobuf.Value;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who a sidecar is, as it tells the controller in the {@link Node} of every xDS request. The keys are a
 * wire contract shared with the controller (see {@code docs/xds-node-metadata.md}); the controller never
 * imports this class.
 *
 * @param id          unique per proxy instance
 * @param service     the service this workload serves
 * @param namespace   the service's namespace
 * @param labels      workload labels, {@code version} among them
 * @param address     the address other sidecars reach this one's inbound listener on
 * @param inboundPort the inbound listener's port
 * @param outboundPort the outbound listener's port
 * @param appPort     the local app's port
 * @param serviceAccount the workload's service account (its SPIFFE identity)
 */
public record NodeIdentity(String id, String service, String namespace, Map<String, String> labels,
                           String address, int inboundPort, int outboundPort, int appPort, String serviceAccount) {

    public static final String NAMESPACE = "NAMESPACE";
    public static final String SERVICE = "SERVICE";
    public static final String LABELS = "LABELS";
    public static final String INSTANCE_IPS = "INSTANCE_IPS";
    public static final String INBOUND_PORT = "INBOUND_PORT";
    public static final String OUTBOUND_PORT = "OUTBOUND_PORT";
    public static final String APP_PORT = "APP_PORT";
    public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";

    public NodeIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        address = address == null ? "127.0.0.1" : address;
        serviceAccount = serviceAccount == null || serviceAccount.isEmpty() ? service : serviceAccount;
    }

    /** The node as sent in xDS requests; {@code cluster} is the service name, as Envoy's service-cluster. */
    public Node toNode() {
        Struct.Builder labelStruct = Struct.newBuilder();
        new TreeMap<>(labels).forEach((k, v) -> labelStruct.putFields(k, str(v)));
        Struct metadata = Struct.newBuilder()
                .putFields(NAMESPACE, str(namespace))
                .putFields(SERVICE, str(service))
                .putFields(LABELS, Value.newBuilder().setStructValue(labelStruct).build())
                .putFields(INSTANCE_IPS, str(address))
                .putFields(INBOUND_PORT, Value.newBuilder().setNumberValue(inboundPort).build())
                .putFields(OUTBOUND_PORT, Value.newBuilder().setNumberValue(outboundPort).build())
                .putFields(APP_PORT, Value.newBuilder().setNumberValue(appPort).build())
                .putFields(SERVICE_ACCOUNT, str(serviceAccount))
                .build();
        return Node.newBuilder()
                .setId(id)
                .setCluster(service)
                .setMetadata(metadata)
                .setUserAgentName("meshdeck-sidecar")
                .build();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
