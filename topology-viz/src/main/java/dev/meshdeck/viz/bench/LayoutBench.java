package dev.meshdeck.viz.bench;

import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.io.TopologyJson;
import dev.meshdeck.viz.layout.ForceLayout;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.Protocol;
import dev.meshdeck.viz.model.TopologyGraph;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Measures the topology-viz model and layouts without a screen, on synthetic meshes: graph A has about
 * 1000 nodes and 3000 edges, graph B about 10 000 nodes, graph C is the 10 000-service mesh (about 24 000 nodes)
 * seen collapsed, as {@code meshdeck viz --synthetic 10000} opens it. It reports the very first layout in the JVM
 * (cold: class loading and interpreter), the retained heap of graph A with its layout (on a quiet heap),
 * then for each step the median and max wall time of {@code reps} runs after warm-up, and the
 * median CPU time of the measuring thread (which, on a shared machine, shows the work apart from waiting
 * for the core).
 *
 * <p>Usage: {@code java -cp topology-viz/target/classes dev.meshdeck.viz.bench.LayoutBench [reps]}; run it
 * pinned to one core ({@code taskset -c 1}) to mimic a busy machine. Also {@code meshdeck bench viz}.
 */
public final class LayoutBench {

    /** Services, fan-out and seed of graph A (about 1000 nodes, 3000 edges). */
    public static final int A_SERVICES = 417;
    public static final double A_FAN_OUT = 5;
    /** Services, fan-out and seed of graph B (about 10 000 nodes). */
    public static final int B_SERVICES = 4170;
    public static final double B_FAN_OUT = 3;
    /** Services of graph C, what {@code meshdeck viz --synthetic 10000} shows (default fan-out, seed 1). */
    public static final int C_SERVICES = 10_000;
    /** The namespace graph C expands in its collapsed view. */
    private static final String C_EXPANDED = "checkout";
    private static final long SEED = 1;

    private static final int COPIES = 10;

    private static volatile Object sink;

    private LayoutBench() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        PrintWriter out = new PrintWriter(System.out, true);
        run(reps, out);
        out.flush();
    }

    public static void run(int reps, PrintWriter out) {
        if (reps < 1) {
            throw new IllegalArgumentException("repetitions: " + reps + " (expected: >= 1)");
        }
        LayeredLayout layered = new LayeredLayout();
        ForceLayout force = new ForceLayout();
        TopologyGraph a = graphA();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Layout base = layered.layout(a, Layout.EMPTY);
        double coldMs = (System.nanoTime() - t0) / 1e6;
        double coldCpuMs = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        double heapMb = retainedMb(() -> {
            TopologyGraph g = graphA();
            return new Object[] {g, layered.layout(g, Layout.EMPTY)};
        });
        TopologyGraph b = SyntheticTopology.generate(B_SERVICES, B_FAN_OUT, SEED);

        out.printf(Locale.ROOT, "graph A: %d nodes, %d edges, %d namespaces%n", a.nodeCount(), a.edgeCount(),
                a.namespaces().size());
        out.printf(Locale.ROOT, "graph B: %d nodes, %d edges, %d namespaces%n", b.nodeCount(), b.edgeCount(),
                b.namespaces().size());
        out.printf(Locale.ROOT, "retained heap of graph A + its layout: %.1f MB%n", heapMb);
        out.printf(Locale.ROOT, "first layered layout of A in this JVM (cold): %.1f ms (cpu %.1f ms)%n%n", coldMs,
                coldCpuMs);
        out.printf(Locale.ROOT, "%-46s %10s %10s %10s%n", "step (" + reps + " runs after warm-up)", "median ms",
                "max ms", "cpu ms");

        measure(out, reps, "A layered layout", () -> layered.layout(a, Layout.EMPTY));
        measure(out, reps, "A force layout", () -> force.layout(a, Layout.EMPTY));
        TopologyGraph plusOne = plusOneService(a);
        measure(out, reps, "A layered, one service added (incremental)", () -> layered.layout(plusOne, base));
        Layout forceBase = force.layout(a, Layout.EMPTY);
        measure(out, reps, "A force, one service added (incremental)", () -> force.layout(plusOne, forceBase));
        Map<String, EdgeMetrics> metricsA = newMetrics(a, 2);
        measure(out, reps, "A metrics update, every edge", () -> a.withMetrics(metricsA));
        measure(out, reps, "A write JSON", () -> TopologyJson.write(a, base));
        String json = TopologyJson.write(a, base);
        measure(out, reps, "A read JSON", () -> TopologyJson.read(json));

        measure(out, reps, "B layered layout", () -> layered.layout(b, Layout.EMPTY));
        Map<String, EdgeMetrics> metricsB = newMetrics(b, 3);
        measure(out, reps, "B metrics update, every edge", () -> b.withMetrics(metricsB));
        TreeSet<String> allButOne = new TreeSet<>(b.namespaces());
        allButOne.remove(allButOne.first());
        measure(out, reps, "B collapse all namespaces but one", () -> NamespaceCollapse.collapse(b, allButOne));
        TopologyGraph collapsed = NamespaceCollapse.collapse(b, allButOne);
        measure(out, reps, String.format(Locale.ROOT, "B collapsed (%d nodes, %d edges), layered",
                collapsed.nodeCount(), collapsed.edgeCount()), () -> layered.layout(collapsed, Layout.EMPTY));
        collapsedTenThousand(out, reps, layered);
        out.flush();
    }

    /**
     * Graph C with every namespace and the external hosts collapsed: the collapse, its layered layout,
     * then expanding one namespace (the collapse without it, and laying out only its nodes against the
     * collapsed layout, everything else staying put), and the crossings of the collapsed layout's edges.
     */
    private static void collapsedTenThousand(PrintWriter out, int reps, LayeredLayout layered) {
        TopologyGraph c = SyntheticTopology.generate(C_SERVICES, SEED);
        Set<String> all = new TreeSet<>(NamespaceCollapse.groups(c));
        Set<String> allButOne = new TreeSet<>(all);
        allButOne.remove(C_EXPANDED);
        TopologyGraph collapsed = NamespaceCollapse.collapse(c, all);
        TopologyGraph expanded = NamespaceCollapse.collapse(c, allButOne);
        Layout base = layered.layout(collapsed, Layout.EMPTY);
        measure(out, reps, String.format(Locale.ROOT, "C collapse all + external hosts (%d groups)", all.size()),
                () -> NamespaceCollapse.collapse(c, all));
        measure(out, reps, String.format(Locale.ROOT, "C collapsed (%d nodes, %d edges), layered",
                collapsed.nodeCount(), collapsed.edgeCount()), () -> layered.layout(collapsed, Layout.EMPTY));
        measure(out, reps, "C expand " + C_EXPANDED + ": collapse the rest",
                () -> NamespaceCollapse.collapse(c, allButOne));
        measure(out, reps, String.format(Locale.ROOT, "C expand %s: relayout (+%d nodes)", C_EXPANDED,
                expanded.nodeCount() - collapsed.nodeCount() + 1), () -> layered.layout(expanded, base));
        Rect bounds = base.bounds(collapsed, NodeSizing.DEFAULT);
        out.printf(Locale.ROOT, "C: %d nodes, %d edges; collapsed layout %.0f x %.0f, %d edge crossings (straight lines"
                + " between centres)%n", c.nodeCount(), c.edgeCount(), bounds.width(), bounds.height(),
                crossings(collapsed, base));
    }

    /** How many pairs of edges cross, drawn as straight lines between node centres (edges sharing an end do not). */
    static long crossings(TopologyGraph g, Layout layout) {
        int m = g.edgeCount();
        double[][] s = new double[m][];
        for (int e = 0; e < m; e++) {
            Point p = layout.position(g.edgeAt(e).source());
            Point q = layout.position(g.edgeAt(e).target());
            s[e] = new double[] {p.x(), p.y(), q.x(), q.y()};
        }
        long n = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                if (cross(s[i], s[j])) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean cross(double[] a, double[] b) {
        double d1 = side(b, a[0], a[1]);
        double d2 = side(b, a[2], a[3]);
        double d3 = side(a, b[0], b[1]);
        double d4 = side(a, b[2], b[3]);
        return d1 * d2 < 0 && d3 * d4 < 0;
    }

    private static double side(double[] s, double x, double y) {
        return (s[2] - s[0]) * (y - s[1]) - (s[3] - s[1]) * (x - s[0]);
    }

    private static TopologyGraph graphA() {
        return SyntheticTopology.generate(A_SERVICES, A_FAN_OUT, SEED);
    }

    private static TopologyGraph plusOneService(TopologyGraph g) {
        List<GraphNode> nodes = new ArrayList<>(g.nodes());
        List<GraphEdge> edges = new ArrayList<>(g.edges());
        String ns = g.namespaces().get(0);
        String id = ns + "/added";
        nodes.add(GraphNode.service(id, ns));
        nodes.add(GraphNode.workload(id + "-v1", ns, id, "v1"));
        edges.add(GraphEdge.of(id, id + "-v1", Protocol.HTTP).withSplitWeight(100.0));
        edges.add(GraphEdge.of("ingress", id, Protocol.HTTP));
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

    private static void measure(PrintWriter out, int reps, String name, Supplier<Object> task) {
        for (int i = 0; i < Math.max(3, reps / 2); i++) {
            sink = task.get();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ms = new double[reps];
        double[] cpu = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink = task.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        out.printf(Locale.ROOT, "%-46s %10.1f %10.1f %10.1f%n", name, ms[reps / 2], ms[reps - 1], cpu[reps / 2]);
        out.flush();
    }

    /** Heap still used after a full GC while ten copies are held, per copy. */
    private static double retainedMb(Supplier<Object> build) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        sink = build.get(); // load the classes first
        sink = null;
        long before = usedAfterGc(mem);
        Object[] kept = new Object[COPIES];
        for (int i = 0; i < COPIES; i++) {
            kept[i] = build.get();
        }
        long after = usedAfterGc(mem);
        sink = kept;
        sink = null;
        return (after - before) / (double) COPIES / (1024 * 1024);
    }

    private static long usedAfterGc(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
