package dev.meshdeck.viz.io;

import dev.meshdeck.viz.io.internal.NamespacePlan;
import dev.meshdeck.viz.io.internal.Tiers;
import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.MtlsState;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.Protocol;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A generated mesh for trying the viewer at scale ({@code meshdeck viz --synthetic N}): services spread
 * over namespaces of about 40, each with one to three versions (traffic split between them), calling
 * services of deeper tiers (call depth grows with the size), an ingress gateway, some external hosts, and
 * random health, badges, mTLS and edge metrics. The same size and seed give the same graph.
 *
 * <p>Namespaces call each other the way they do in real meshes ({@link NamespacePlan}): the ingress calls
 * the entry points, which live in the {@code frontend} namespaces; of the calls to services, about 72 % stay
 * in the caller's namespace, 14 % go to the few shared namespaces ({@code identity}, {@code analytics},
 * {@code messaging}) and 14 % to the two or three domain namespaces the caller's namespace depends on; a
 * quarter of the namespaces send 4 % of their calls to external hosts, each to its own few.
 *
 * <p>With the default fan-out (3 calls per version) a mesh of N services has about 2.4 N nodes and 5 N
 * edges; {@link #generate(int, double, long)} sets the fan-out.
 */
public final class SyntheticTopology {

    /** Calls made by each version, on average, in {@link #generate(int, long)}. */
    public static final double DEFAULT_FAN_OUT = 3;

    private static final int DISTINCT_TRIES = 3;

    private static final String[] NAMESPACES = {"frontend", "checkout", "payments", "catalog", "search",
        "identity", "shipping", "inventory", "ads", "analytics", "messaging", "support"};
    private static final String[] WORDS = {"cart", "checkout", "payment", "catalog", "search", "inventory",
        "shipping", "user", "auth", "review", "rating", "recommend", "ad", "email", "currency", "order",
        "pricing", "fraud", "ledger", "profile", "session", "media", "notify", "tax", "quote"};
    private static final String[] EXTERNAL_HOSTS = {"api.stripe.com", "s3.amazonaws.com", "smtp.mail.example",
        "maps.example.com", "auth0.example", "pubsub.example", "cdn.example.net", "sms.example.org"};

    private SyntheticTopology() {
    }

    public static TopologyGraph generate(int services, long seed) {
        return generate(services, DEFAULT_FAN_OUT, seed);
    }

    /**
     * @param services number of services (>= 1)
     * @param fanOut   average number of services each version calls (>= 0)
     * @param seed     the random seed
     */
    public static TopologyGraph generate(int services, double fanOut, long seed) {
        if (services < 1) {
            throw new IllegalArgumentException("services: " + services + " (expected: >= 1)");
        }
        if (!(fanOut >= 0 && fanOut <= 50)) {
            throw new IllegalArgumentException("fanOut: " + fanOut + " (expected: 0..50)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int namespaceCount = Math.max(1, (int) Math.round(services / 40.0));
        int depth = Math.max(3, Math.min(10, 3 + (int) (Math.log(Math.max(1, services / 8.0)) / Math.log(2))));
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphEdge> edges = new ArrayList<>();
        Tiers tiers = new Tiers(namespaceCount, depth);
        List<List<String>> versionsOf = new ArrayList<>();
        List<Integer> tierOf = new ArrayList<>();
        List<Integer> namespaceOf = new ArrayList<>();
        MtlsState[] namespaceMtls = new MtlsState[namespaceCount];
        for (int k = 0; k < namespaceCount; k++) {
            double r = random.nextDouble();
            namespaceMtls[k] = r < 0.75 ? MtlsState.MTLS : r < 0.9 ? MtlsState.MIXED : MtlsState.PLAINTEXT;
        }
        NamespacePlan plan = NamespacePlan.of(namespaceCount);
        int entryServices = Math.max(1, services / (4 * depth));
        for (int s = 0; s < services; s++) {
            // entry points (tier 0) live in the entry namespaces; deeper tiers get more services
            boolean entry = s < entryServices;
            int k = entry ? plan.entry().get(random.nextInt(plan.entry().size())) : random.nextInt(namespaceCount);
            String ns = namespaceName(k);
            int tier = entry ? 0 : 1 + random.nextInt(depth - 1);
            String name = WORDS[s % WORDS.length] + "-" + s;
            String id = ns + "/" + name;
            nodes.add(status(random, new GraphNode(id, NodeKind.SERVICE, name, ns, null, null, null,
                    namespaceMtls[k], null)));
            double r = random.nextDouble();
            int versions = r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
            List<String> vs = new ArrayList<>();
            double[] weights = splitWeights(random, versions);
            for (int v = 1; v <= versions; v++) {
                String wid = id + "-v" + v;
                nodes.add(status(random, new GraphNode(wid, NodeKind.WORKLOAD, name + " v" + v, ns, id, "v" + v,
                        null, namespaceMtls[k], null)));
                vs.add(wid);
                edges.add(edge(random, id, wid, Protocol.HTTP, namespaceMtls[k]).withSplitWeight(weights[v - 1]));
            }
            versionsOf.add(vs);
            tierOf.add(tier);
            namespaceOf.add(k);
            tiers.add(k, tier, id);
        }
        int externalCount = Math.max(1, services / 25);
        List<String> externals = new ArrayList<>();
        for (int e = 0; e < externalCount; e++) {
            String host = e < EXTERNAL_HOSTS.length ? EXTERNAL_HOSTS[e] : "ext-" + e + ".example";
            nodes.add(GraphNode.external(host).withHealth(Health.HEALTHY).withMtls(MtlsState.PLAINTEXT));
            externals.add(host);
        }
        String ingress = "ingress";
        nodes.add(GraphNode.external(ingress).withLabel("ingress gateway").withHealth(Health.HEALTHY)
                .withMtls(MtlsState.MTLS));
        for (String entryPoint : tiers.tier(0)) {
            edges.add(edge(random, ingress, entryPoint, Protocol.HTTP2, MtlsState.MTLS));
        }
        plan.drawDependencies(random);
        for (int s = 0; s < services; s++) {
            int tier = tierOf.get(s);
            int k = namespaceOf.get(s);
            for (String caller : versionsOf.get(s)) {
                int calls = poisson(random, fanOut);
                Set<String> targets = new LinkedHashSet<>();
                for (int c = 0; c < calls; c++) {
                    // a few tries for a callee not called yet: namespaces are small, so repeats are common
                    for (int attempt = 0; attempt < DISTINCT_TRIES; attempt++) {
                        String target = pickTarget(random, tiers, plan, k, tier, externals);
                        if (target != null && targets.add(target)) {
                            break;
                        }
                    }
                }
                for (String target : targets) {
                    Protocol p = pickProtocol(random);
                    edges.add(edge(random, caller, target, p, externals.contains(target) ? MtlsState.PLAINTEXT
                            : MtlsState.MTLS));
                }
            }
        }
        return TopologyGraph.of(nodes, edges);
    }

    private static String namespaceName(int k) {
        return k < NAMESPACES.length ? NAMESPACES[k] : NAMESPACES[k % NAMESPACES.length] + "-" + (k / NAMESPACES.length);
    }

    /**
     * A callee for a service of namespace {@code k} in {@code tier}: an external host (4 %, in the namespaces
     * that call outside the mesh), else a service one
     * or two tiers deeper, in the caller's own namespace (72 % of the rest), in a shared namespace (14 %) or in
     * one of the namespaces the caller's namespace depends on (14 %); where that namespace has nothing deeper,
     * the caller's own namespace. {@code null} when there is no deeper service at all.
     */
    private static String pickTarget(SplittableRandom random, Tiers tiers, NamespacePlan plan, int k, int tier,
                                     List<String> externals) {
        double r = random.nextDouble();
        if (r < 0.04) {
            int host = plan.externalHost(random, k, externals.size());
            if (host >= 0) {
                return externals.get(host);
            }
            r = random.nextDouble(); // a namespace without egress calls a service instead
        }
        if (tier + 1 >= tiers.depth()) {
            return null; // the deepest tier calls only external hosts
        }
        // mostly the next tier, sometimes one further
        int t = tier + 1 + (r < 0.25 && tier + 2 < tiers.depth() ? 1 : 0);
        double where = random.nextDouble();
        List<Integer> others = where < 0.72 ? List.of() : where < 0.86 ? plan.shared(k) : plan.dependencies(k);
        int target = others.isEmpty() ? k : others.get(random.nextInt(others.size()));
        String callee = tiers.pick(random, target, t);
        return callee != null || target == k ? callee : tiers.pick(random, k, t);
    }

    private static Protocol pickProtocol(SplittableRandom random) {
        double r = random.nextDouble();
        return r < 0.6 ? Protocol.HTTP : r < 0.75 ? Protocol.HTTP2 : r < 0.95 ? Protocol.GRPC : Protocol.TCP;
    }

    private static GraphNode status(SplittableRandom random, GraphNode node) {
        double r = random.nextDouble();
        Health h = r < 0.85 ? Health.HEALTHY : r < 0.92 ? Health.DEGRADED : r < 0.95 ? Health.FAILING : Health.IDLE;
        EnumSet<Badge> badges = EnumSet.noneOf(Badge.class);
        if (random.nextDouble() < 0.03) {
            badges.add(Badge.FAULT_INJECTED);
        }
        if (random.nextDouble() < 0.02) {
            badges.add(Badge.CIRCUIT_OPEN);
        }
        if (random.nextDouble() < 0.02) {
            badges.add(Badge.EXPERIMENT_RUNNING);
        }
        return node.withHealth(h).withBadges(badges);
    }

    private static GraphEdge edge(SplittableRandom random, String source, String target, Protocol protocol,
                                  MtlsState mtls) {
        return GraphEdge.of(source, target, protocol).withMetrics(metrics(random))
                .withMtlsShare(switch (mtls) {
                    case MTLS -> 1.0;
                    case PLAINTEXT, UNKNOWN -> 0.0;
                    case MIXED -> Math.round(random.nextDouble() * 100) / 100.0;
                });
    }

    /** Random but plausible metrics: a heavy-tailed rate, mostly high success, skewed latencies. */
    public static EdgeMetrics metrics(SplittableRandom random) {
        double rps = Math.round(Math.exp(random.nextDouble() * 7) * 10) / 100.0;
        double r = random.nextDouble();
        double success = r < 0.9 ? 1 - random.nextDouble() * 0.005 : r < 0.97 ? 0.95 + random.nextDouble() * 0.04
                : random.nextDouble() * 0.9;
        double p50 = 1 + random.nextDouble() * 40;
        double p90 = p50 * (1.5 + random.nextDouble() * 2);
        double p99 = p90 * (1.5 + random.nextDouble() * 4);
        return new EdgeMetrics(rps, success, round(p50), round(p90), round(p99));
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }

    private static double[] splitWeights(SplittableRandom random, int versions) {
        double[] w = new double[versions];
        if (versions == 1) {
            w[0] = 100;
            return w;
        }
        int left = 100;
        for (int v = 0; v < versions - 1; v++) {
            int share = random.nextInt(left / 2 + 1) + (v == 0 ? left / 3 : 0);
            share = Math.min(share, left);
            w[v] = share;
            left -= share;
        }
        w[versions - 1] = left;
        return w;
    }

    private static int poisson(SplittableRandom random, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
