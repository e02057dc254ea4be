package dev.meshdeck.dataplane.xds;

import dev.meshdeck.dataplane.xds.internal.ConfigDumpJson;
import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;
import dev.meshdeck.dataplane.xds.proto.envoy.service.discovery.v3.DiscoveryResponse;
import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process that dumps a config as the sidecar does, with only the sidecar's classes (the lite xDS classes and
 * the protobuf runtime) on its class path: {@code IN} holds delimited {@code DiscoveryResponse}s (one per type),
 * {@code BALLAST_MB} of the heap are held as a sidecar's own live data would be, and the JSON of the last of
 * {@code TIMES} dumps goes to {@code OUT}. Prints each dump's milliseconds and the heap in use after a GC.
 */
public final class ConfigDumpProbe {
    private ConfigDumpProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ConfigDumpProbe IN BALLAST_MB TIMES OUT");
        }
        byte[][] ballast = new byte[Integer.parseInt(args[1])][];
        for (int i = 0; i < ballast.length; i++) {
            ballast[i] = new byte[1 << 20];
        }
        Map<String, String> versions = new HashMap<>();
        List<Listener> listeners = new ArrayList<>();
        List<RouteConfiguration> routes = new ArrayList<>();
        List<Cluster> clusters = new ArrayList<>();
        List<ClusterLoadAssignment> endpoints = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            DiscoveryResponse response;
            while ((response = DiscoveryResponse.parseDelimitedFrom(in)) != null) {
                XdsType type = XdsType.ofTypeUrl(response.getTypeUrl()).orElseThrow();
                versions.put(type.name(), response.getVersionInfo());
                for (Any any : response.getResourcesList()) {
                    var resource = type.parser().parseFrom(any.getValue());
                    switch (type) {
                        case LDS -> listeners.add((Listener) resource);
                        case RDS -> routes.add((RouteConfiguration) resource);
                        case CDS -> clusters.add((Cluster) resource);
                        case EDS -> endpoints.add((ClusterLoadAssignment) resource);
                    }
                }
            }
        }
        XdsResources state = XdsResources.of(listeners, routes, clusters, endpoints);
        String json = "";
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            long start = System.nanoTime();
            json = ConfigDumpJson.render(state, versions);
            System.out.printf("dump %d: %d chars in %.1f ms%n", i + 1, json.length(), (System.nanoTime() - start) / 1e6);
        }
        Files.writeString(Path.of(args[3]), json, StandardCharsets.UTF_8);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap in use after GC: %.1f MB of %.1f MB (ballast %d MB)%n",
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.totalMemory() / 1048576.0, ballast.length);
    }
}
