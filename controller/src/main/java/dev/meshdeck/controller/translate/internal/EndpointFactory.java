package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * EDS: the endpoints of one cluster, grouped by locality (sorted; workloads without one share the empty
 * locality), each locality weighted by the sum of its endpoints' weights, because grpc-xds ignores a
 * locality without a weight.
 */
final class EndpointFactory {
    private EndpointFactory() {
    }

    static ClusterLoadAssignment assignment(String clusterName, List<MeshService.Endpoint> endpoints) {
        Map<String, List<MeshService.Endpoint>> byLocality = new TreeMap<>();
        for (MeshService.Endpoint e : endpoints) {
            byLocality.computeIfAbsent(e.locality(), k -> new ArrayList<>()).add(e);
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(clusterName);
        byLocality.forEach((locality, eps) -> {
            LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder();
            if (!locality.isEmpty()) {
                group.setLocality(locality(locality));
            }
            int total = 0;
            for (MeshService.Endpoint e : eps) {
                int weight = Math.max(1, e.weight());
                total += weight;
                group.addLbEndpoints(LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(Protos.socket(e.address(), e.port())))
                        .setLoadBalancingWeight(UInt32Value.of(weight)));
            }
            cla.addEndpoints(group.setLoadBalancingWeight(UInt32Value.of(total)));
        });
        return cla.build();
    }

    /** {@code region/zone/subzone}, any part may be missing. */
    private static Locality locality(String text) {
        Locality.Builder l = Locality.newBuilder();
        String[] parts = text.split("/", 3);
        l.setRegion(parts[0]);
        if (parts.length > 1) {
            l.setZone(parts[1]);
        }
        if (parts.length > 2) {
            l.setSubZone(parts[2]);
        }
        return l.build();
    }
}
