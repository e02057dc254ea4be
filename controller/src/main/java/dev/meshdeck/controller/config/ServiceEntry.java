package dev.meshdeck.controller.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio's {@code ServiceEntry}: a service the registry would not otherwise know — outside the mesh, or
 * inside it without a sidecar. Endpoints are inline ({@code endpoints}) or {@code WorkloadEntry}s picked
 * by {@code workloadSelector}.
 */
public record ServiceEntry(Metadata metadata, Source source, List<String> hosts, List<String> addresses,
                           List<Port> ports, Location location, Resolution resolution,
                           List<WorkloadEntry.Spec> endpoints, Map<String, String> workloadSelector,
                           List<String> subjectAltNames) implements MeshResource {

    public enum Location { MESH_EXTERNAL, MESH_INTERNAL }

    public enum Resolution { NONE, STATIC, DNS, DNS_ROUND_ROBIN }

    public ServiceEntry {
        Objects.requireNonNull(metadata, "metadata");
        source = source == null ? Source.UNKNOWN : source;
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses == null ? List.of() : addresses);
        ports = List.copyOf(ports == null ? List.of() : ports);
        location = location == null ? Location.MESH_EXTERNAL : location;
        resolution = resolution == null ? Resolution.NONE : resolution;
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
        workloadSelector = Map.copyOf(workloadSelector == null ? Map.of() : workloadSelector);
        subjectAltNames = List.copyOf(subjectAltNames == null ? List.of() : subjectAltNames);
    }

    @Override
    public Kind kind() {
        return Kind.SERVICE_ENTRY;
    }

    /** Istio's {@code ServicePort}; {@code targetPort} is {@code null} when it equals {@code number}. */
    public record Port(int number, String protocol, String name, Integer targetPort) {
        public Port {
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("number: " + number + " (expected: 1..65535)");
            }
        }
    }
}
