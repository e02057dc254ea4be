package dev.meshdeck.controller.config;

import java.util.Map;
import java.util.Objects;

/** Istio's {@code WorkloadEntry}: a workload without a sidecar (a VM, a process on another host). */
public record WorkloadEntry(Metadata metadata, Source source, Spec spec) implements MeshResource {

    public WorkloadEntry {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        source = source == null ? Source.UNKNOWN : source;
    }

    @Override
    public Kind kind() {
        return Kind.WORKLOAD_ENTRY;
    }

    /**
     * The workload: its address (IP or host name), port numbers by service port name, labels (such as
     * {@code version}), and an optional weight, locality and service account. The same shape is used
     * for a {@code ServiceEntry}'s inline endpoints.
     */
    public record Spec(String address, Map<String, Integer> ports, Map<String, String> labels, String network,
                       String locality, Integer weight, String serviceAccount) {
        public Spec {
            Objects.requireNonNull(address, "address");
            ports = Map.copyOf(ports == null ? Map.of() : ports);
            labels = Map.copyOf(labels == null ? Map.of() : labels);
        }
    }
}
