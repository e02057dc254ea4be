package dev.meshdeck.viz.bench;

import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.layout.ForceLayout;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.LayoutAlgorithm;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.TopologyGraph;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Measures the topology-viz model and layouts without a screen: first layout (layered and force) and a
 * metrics update at about 1000 nodes / 3000 edges and at about 10 000 nodes (also collapsed), an
 * incremental layout after one node was added, and the heap retained by the 1000-node graph with its layout.
 *
 * <p>Usage: {@code LayoutBench [repetitions]} (default 7). Prints median and max per measurement, in ms.
 * Run pinned to one core to mimic a busy machine: {@code taskset -c 1 java -cp ... LayoutBench}.
 */
public final class LayoutBench {

    private LayoutBench() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        run(reps, System.out);
    }

    /** Runs every measurement {@code reps} times (after one warm-up) and prints a table to {@code out}. */
    public static void run(int reps, PrintStream out) {
        // ~1000 nodes / ~3000 edges: 417 services with ~1.4 versions each and fan-out 5
        TopologyGraph thousand = SyntheticTopology.generate(417, 5, 1);
        TopologyGraph tenThousand = SyntheticTopology.generate(4170, 3, 1);
        out.printf(Locale.ROOT, "graph A: %d nodes, %d edges, %d namespaces%n", thousand.nodeCount(),
                thousand.edgeCount(), thousand.namespaces().size());
        out.printf(Locale.ROOT, "graph B: %d nodes, %d edges, %d namespaces%n", tenThousand.nodeCount(),
                tenThousand.edgeCount(), tenThousand.namespaces().size());
        out.printf(Locale.ROOT, "%-44s %10s %10s%n", "measurement (" + reps + " runs)", "median ms", "max ms");

        LayeredLayout layered = new LayeredLayout();
        ForceLayout force = new ForceLayout();
        measure(out, reps, "A layered, first layout", () -> layered.layout(thousand, Layout.EMPTY));
        measure(out, reps, "A force, first layout", () -> force.layout(thousand, Layout.EMPTY));
        Layout base = layered.layout(thousand, Layout.EMPTY);
        TopologyGraph plusOne = plusOneService(thousand);
        measure(out, reps, "A layered, one service added", () -> layered.layout(plusOne, base));
        Layout forceBase = force.layout(thousand, Layout.EMPTY);
        measure(out, reps, "A force, one service added", () -> force.layout(plusOne, forceBase));
        Map<String, EdgeMetrics> metrics = newMetrics(thousand, 2);
        measure(out, reps, "A metrics update (all edges)", () -> thousand.withMetrics(metrics));

        measure(out, reps, "B layered, first layout", () -> layered.layout(tenThousand, Layout.EMPTY));
        Map<String, EdgeMetrics> metricsB = newMetrics(tenThousand, 3);
        measure(out, reps, "B metrics update (all edges)", () -> tenThousand.withMetrics(metricsB));
        TreeSet<String> all = new TreeSet<>(tenThousand.namespaces());
        TreeSet<String> allButOne = new TreeSet<>(all);
        allButOne.remove(all.first());
        measure(out, reps, "B collapse all namespaces but one", () -> NamespaceCollapse.collapse(tenThousand, allButOne));
        TopologyGraph collapsed = NamespaceCollapse.collapse(tenThousand, allButOne);
        out.printf(Locale.ROOT, "  (collapsed: %d nodes, %d edges)%n", collapsed.nodeCount(), collapsed.edgeCount());
        measure(out, reps, "B collapsed, layered first layout", () -> layered.layout(collapsed, Layout.EMPTY));

        out.printf(Locale.ROOT, "retained heap, graph A + its layout: %.1f MB%n", retainedMb(() -> {
            TopologyGraph g = SyntheticTopology.generate(417, 5, 1);
            return new Object[] {g, layered.layout(g, Layout.EMPTY)};
        }));
        out.printf(Locale.ROOT, "retained heap, graph B + its layout: %.1f MB%n", retainedMb(() -> {
            TopologyGraph g = SyntheticTopology.generate(4170, 3, 1);
            return new Object[] {g, layered.layout(g, Layout.EMPTY)};
        }));
    }

    private static TopologyGraph plusOneService(TopologyGraph g) {
        List<dev.meshdeck.viz.model.GraphNode> nodes = new ArrayList<>(g.nodes());
        List<GraphEdge> edges = new ArrayList<>(g.edges());
        String ns = g.namespaces().get(0);
        nodes.add(dev.meshdeck.viz.model.GraphNode.service(ns + "/added", ns));
        nodes.add(dev.meshdeck.viz.model.GraphNode.workload(ns + "/added-v1", ns, ns + "/added", "v1"));
        edges.add(GraphEdge.of(ns + "/added", ns + "/added-v1", dev.meshdeck.viz.model.Protocol.HTTP));
        edges.add(GraphEdge.of("ingress", ns + "/added", dev.meshdeck.viz.model.Protocol.HTTP));
        return TopologyGraph.of(nodes, edges);
    }

    private static Map<String, EdgeMetrics> newMetrics(TopologyGraph g, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, EdgeMetrics> m = new HashMap<>();
        for (GraphEdge e : g.edges()) {
            m.put(e.id(), SyntheticTopology.metrics(random));
        }
        return m;
    }

    private static Object sink;

    private static void measure(PrintStream out, int reps, String name, java.util.function.Supplier<Object> task) {
        sink = task.get(); // warm-up
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            sink = task.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        out.printf(Locale.ROOT, "%-44s %10.1f %10.1f%n", name, ms[reps / 2], ms[reps - 1]);
    }

    private static double retainedMb(java.util.function.Supplier<Object> build) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        sink = null;
        long before = usedAfterGc(mem);
        Object kept = build.get();
        long after = usedAfterGc(mem);
        sink = kept;
        double mb = (after - before) / (1024.0 * 1024.0);
        sink = null;
        return mb;
    }

    private static long usedAfterGc(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
