package dev.meshdeck.controller.bench;

import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.time.Duration;
import java.util.Locale;

/**
 * How long a full translation takes: {@code translate()} alone, and {@code translate()} plus a snapshot for
 * every proxy, for the {@link SyntheticMesh} of N services with one sidecar per service and version (3N
 * proxies). Warm-up rounds first (as many as half the measured ones, at least 3), then each measured round
 * is timed.
 *
 * <p>{@code java -cp ... dev.meshdeck.controller.bench.TranslateBench [services] [iterations]}
 */
public final class TranslateBench {

    /**
     * The figures of one run.
     *
     * @param services   services in the mesh
     * @param proxies    sidecars (3 per service)
     * @param iterations measured rounds
     * @param translate  {@code translate()} alone, over the rounds
     * @param total      {@code translate()} and {@code snapshotFor()} of every proxy, over the rounds
     */
    public record Result(int services, int proxies, int iterations, Timings translate, Timings total) {
        /** Time per proxy snapshot, from the medians. */
        public Duration perSnapshot() {
            return total.median().minus(translate.median()).dividedBy(Math.max(1, proxies));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d services, %d proxies, %d rounds: translate %s;"
                            + " translate+snapshots %s (%.1f us per proxy snapshot)",
                    services, proxies, iterations, translate, total, perSnapshot().toNanos() / 1e3);
        }
    }

    private TranslateBench() {
    }

    public static void main(String[] args) {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.println(run(services, iterations));
    }

    /** @throws IllegalArgumentException if {@code services} or {@code iterations} is not positive */
    public static Result run(int services, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: " + iterations + " (expected: 1 or more)");
        }
        SyntheticMesh synthetic = new SyntheticMesh(services);
        MeshConfig config = synthetic.config();
        RegistryState registry = synthetic.registry(services * SyntheticMesh.VERSIONS);
        MeshTranslator translator = new MeshTranslator();
        int warmUp = Math.max(3, iterations / 2);
        long sink = 0;
        long[] totals = new long[iterations];
        long[] translates = new long[iterations];
        for (int i = -warmUp; i < iterations; i++) {
            long start = System.nanoTime();
            TranslatedMesh mesh = translator.translate(config, registry);
            long translated = System.nanoTime();
            for (ProxyInfo p : registry.proxies()) {
                Snapshot s = mesh.snapshotFor(p);
                sink += s.version(Resources.ResourceType.LISTENER).hashCode();
            }
            long end = System.nanoTime();
            if (i >= 0) {
                totals[i] = end - start;
                translates[i] = translated - start;
            }
        }
        if (sink == 42) {
            System.out.println("(a sink so that the snapshots are not optimized away)");
        }
        return new Result(services, registry.proxies().size(), iterations, Timings.of(translates), Timings.of(totals));
    }
}
