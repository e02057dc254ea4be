package dev.meshdeck.controller.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.RegistryState;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The one synthetic mesh of the benchmarks: {@code services} services in namespace {@code default}, each
 * with versions v1, v2 and v3, a DestinationRule with a subset per version (least-request balancing) and a
 * VirtualService splitting all its traffic between the subsets by weight ({@link #INITIAL_SPLIT} to begin
 * with). Sidecar {@code i} serves service {@code i % services} in version {@code (i / services) % 3 + 1}, so
 * the first {@code 3 * services} sidecars cover every service and version once. Sidecars are described by
 * the {@link Node} they would send, as the xDS wire contract says, so a simulated client and the registry
 * entry the controller makes of it agree.
 */
public final class SyntheticMesh {
    public static final int VERSIONS = 3;
    public static final String NAMESPACE = "default";
    /** The split of every service at first: 60% to v1, 30% to v2, 10% to v3. */
    public static final List<Integer> INITIAL_SPLIT = List.of(60, 30, 10);

    private static final int APP_PORT = 8080;

    private final int services;

    /** @throws IllegalArgumentException if {@code services} is not positive */
    public SyntheticMesh(int services) {
        if (services < 1) {
            throw new IllegalArgumentException("services: " + services + " (expected: 1 or more)");
        }
        this.services = services;
    }

    public int services() {
        return services;
    }

    /** The name of service {@code s}, e.g. {@code svc-0007}. */
    public static String serviceName(int s) {
        return String.format(Locale.ROOT, "svc-%04d", s);
    }

    /** The mesh with every service split {@link #INITIAL_SPLIT}. */
    public MeshConfig config() {
        return config(s -> INITIAL_SPLIT);
    }

    /** The mesh with service {@code service} split {@code split} (one weight per version) and the others as at first. */
    public MeshConfig withSplit(int service, List<Integer> split) {
        if (service < 0 || service >= services) {
            throw new IllegalArgumentException("service: " + service + " (expected: 0.." + (services - 1) + ")");
        }
        checkSplit(split);
        return config(s -> s == service ? split : INITIAL_SPLIT);
    }

    /** The mesh with every service split {@code split}. */
    public MeshConfig withSplitEverywhere(List<Integer> split) {
        checkSplit(split);
        return config(s -> split);
    }

    private MeshConfig config(IntFunction<List<Integer>> splitOf) {
        List<MeshResource> resources = new ArrayList<>(2 * services);
        for (int s = 0; s < services; s++) {
            String name = serviceName(s);
            List<Integer> weights = splitOf.apply(s);
            List<DestinationRule.Subset> subsets = new ArrayList<>(VERSIONS);
            List<VirtualService.RouteDestination> split = new ArrayList<>(VERSIONS);
            for (int v = 1; v <= VERSIONS; v++) {
                subsets.add(new DestinationRule.Subset("v" + v, Map.of("version", "v" + v), null));
                split.add(VirtualService.RouteDestination.of(name, "v" + v, weights.get(v - 1)));
            }
            resources.add(new DestinationRule(Metadata.of(name, NAMESPACE), null, name,
                    new DestinationRule.TrafficPolicy(new DestinationRule.LoadBalancer(
                            DestinationRule.LoadBalancer.Simple.LEAST_REQUEST, null), null, null, null),
                    subsets));
            resources.add(new VirtualService(Metadata.of(name, NAMESPACE), null, List.of(name), List.of(),
                    List.of(VirtualService.HttpRoute.to(split))));
        }
        return new MeshConfig(resources);
    }

    private static void checkSplit(List<Integer> split) {
        if (split.size() != VERSIONS || split.stream().mapToInt(Integer::intValue).sum() != 100
                || split.stream().anyMatch(w -> w < 0)) {
            throw new IllegalArgumentException("split: " + split + " (expected: " + VERSIONS
                    + " weights of 0 or more adding up to 100)");
        }
    }

    /**
     * The node sidecar {@code i} sends: its service and version, a 10.x.y.z address of its own, inbound and
     * outbound listeners on Istio's ports and an app on port 8080.
     */
    public Node node(int i) {
        if (i < 0) {
            throw new IllegalArgumentException("sidecar: " + i + " (expected: 0 or more)");
        }
        String service = serviceName(i % services);
        String version = "v" + ((i / services) % VERSIONS + 1);
        String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        return SidecarNodes.sidecar(
                String.format(Locale.ROOT, "sidecar~%s~%s-%s-%05d.%s", address, service, version, i, NAMESPACE),
                service, NAMESPACE, version, address,
                ProxyInfo.DEFAULT_INBOUND_PORT, ProxyInfo.DEFAULT_OUTBOUND_PORT, APP_PORT);
    }

    /** Sidecar {@code i} as the registry records it once it connected. */
    public ProxyInfo sidecar(int i) {
        return ProxyInfo.fromNode(node(i));
    }

    /** The registry with sidecars {@code 0 .. proxies - 1} connected. */
    public RegistryState registry(int proxies) {
        ProxyInfo[] all = new ProxyInfo[proxies];
        Arrays.setAll(all, this::sidecar);
        return new RegistryState(List.of(all));
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value number(int n) {
        return Value.newBuilder().setNumberValue(n).build();
    }
}
