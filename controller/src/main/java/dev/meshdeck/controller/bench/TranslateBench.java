package dev.meshdeck.controller.bench;

import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How long a full translation takes: {@code translate()} plus a snapshot for every proxy, for a synthetic
 * mesh of N services with 3 versions each (a 60/30/10 VirtualService split and a DestinationRule with
 * three subsets per service, one sidecar per version, each app on its own port). Warm-up rounds first,
 * then the median and maximum of the measured rounds.
 *
 * <p>{@code java -cp ... dev.meshdeck.controller.bench.TranslateBench [services] [iterations]}
 */
public final class TranslateBench {
    private static final int VERSIONS = 3;
    private static final int[] WEIGHTS = {60, 30, 10};

    /**
     * @param services        services in the mesh
     * @param proxies         sidecars (3 per service)
     * @param iterations      measured rounds
     * @param medianMs        median time of a round: translate() and snapshotFor() for every proxy
     * @param maxMs           slowest round
     * @param translateMedianMs median time of translate() alone
     */
    public record Result(int services, int proxies, int iterations, double medianMs, double maxMs,
                         double translateMedianMs) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%d services, %d proxies, %d rounds: translate+snapshots median %.1f ms, max %.1f ms"
                            + " (translate alone median %.1f ms; %.1f us per proxy snapshot)",
                    services, proxies, iterations, medianMs, maxMs, translateMedianMs,
                    (medianMs - translateMedianMs) * 1000 / proxies);
        }
    }

    private TranslateBench() {
    }

    public static void main(String[] args) {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.println(run(services, iterations));
    }

    public static Result run(int services, int iterations) {
        if (services < 1 || iterations < 1) {
            throw new IllegalArgumentException("services: " + services + ", iterations: " + iterations
                    + " (expected: 1 or more each)");
        }
        MeshConfig config = config(services);
        RegistryState registry = registry(services);
        MeshTranslator translator = new MeshTranslator();
        int warmUp = Math.max(3, iterations / 2);
        long sink = 0;
        double[] rounds = new double[iterations];
        double[] translates = new double[iterations];
        for (int i = -warmUp; i < iterations; i++) {
            long start = System.nanoTime();
            TranslatedMesh mesh = translator.translate(config, registry);
            long translated = System.nanoTime();
            for (ProxyInfo p : registry.proxies()) {
                Snapshot s = mesh.snapshotFor(p);
                sink += s.version(Resources.ResourceType.CLUSTER).hashCode();
            }
            long end = System.nanoTime();
            if (i >= 0) {
                rounds[i] = (end - start) / 1e6;
                translates[i] = (translated - start) / 1e6;
            }
        }
        if (sink == 42) {
            System.out.println("(unlikely)");
        }
        return new Result(services, registry.proxies().size(), iterations, median(rounds),
                Arrays.stream(rounds).max().orElseThrow(), median(translates));
    }

    static MeshConfig config(int services) {
        List<MeshResource> resources = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            String name = name(s);
            List<DestinationRule.Subset> subsets = new ArrayList<>();
            List<VirtualService.RouteDestination> split = new ArrayList<>();
            for (int v = 1; v <= VERSIONS; v++) {
                subsets.add(new DestinationRule.Subset("v" + v, Map.of("version", "v" + v), null));
                split.add(VirtualService.RouteDestination.of(name, "v" + v, WEIGHTS[v - 1]));
            }
            resources.add(new DestinationRule(Metadata.of(name, "default"), null, name,
                    new DestinationRule.TrafficPolicy(new DestinationRule.LoadBalancer(
                            DestinationRule.LoadBalancer.Simple.LEAST_REQUEST, null), null, null, null),
                    subsets));
            resources.add(new VirtualService(Metadata.of(name, "default"), null, List.of(name), List.of(),
                    List.of(VirtualService.HttpRoute.to(split))));
        }
        return new MeshConfig(resources);
    }

    static RegistryState registry(int services) {
        List<ProxyInfo> proxies = new ArrayList<>();
        int n = 0;
        for (int s = 0; s < services; s++) {
            for (int v = 1; v <= VERSIONS; v++, n++) {
                String address = "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
                proxies.add(new ProxyInfo("sidecar~" + address + "~" + name(s) + "-v" + v + ".default",
                        ProxyType.SIDECAR, name(s), "default", Map.of("app", name(s), "version", "v" + v), address,
                        ProxyInfo.DEFAULT_INBOUND_PORT, ProxyInfo.DEFAULT_OUTBOUND_PORT, 20000 + n % 40000, null));
            }
        }
        return new RegistryState(proxies);
    }

    private static String name(int s) {
        return String.format(java.util.Locale.ROOT, "svc-%04d", s);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
