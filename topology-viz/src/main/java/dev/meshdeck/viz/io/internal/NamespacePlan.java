package dev.meshdeck.viz.io.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Which namespaces of a synthetic mesh call which, the way real meshes are organised: a few entry
 * namespaces (every twelfth, the {@code frontend} ones) take the ingress traffic; a few shared namespaces
 * ({@code identity}, {@code analytics}, {@code messaging}: indexes 5, 9 and 10 when the mesh has them) are
 * called from everywhere; every other namespace is a domain that depends on a couple of other domains. Domains
 * come in three levels (taken in turn), and a domain depends only on domains of a deeper level, so the
 * namespaces form no cycle and calls cross at most three domains, as in a mesh organised by teams.
 * Only some namespaces call hosts outside the mesh (every fourth, from index 2: {@code payments},
 * {@code shipping}, {@code messaging}, ...), each its own share of the external hosts.
 */
public final class NamespacePlan {

    /** Namespace indexes that are shared, in order; only those below the namespace count exist. */
    private static final int[] SHARED = {5, 9, 10};
    private static final int ENTRY_EVERY = 12;
    private static final int EGRESS_EVERY = 4;
    private static final int EGRESS_FIRST = 2;
    private static final int ENTRY_DEPENDENCIES = 3;
    private static final int DOMAIN_DEPENDENCIES = 2;
    private static final int DOMAIN_LEVELS = 3;

    private final int count;
    private final List<Integer> entry = new ArrayList<>();
    private final List<Integer> shared = new ArrayList<>();
    private final List<Integer> domains = new ArrayList<>();
    private final List<Integer> egress = new ArrayList<>();
    private final List<List<Integer>> dependencies = new ArrayList<>();

    private NamespacePlan(int count) {
        this.count = count;
        for (int k = 0; k < count; k++) {
            if (k % ENTRY_EVERY == 0) {
                entry.add(k);
            } else if (isShared(k)) {
                shared.add(k);
            } else {
                domains.add(k);
            }
            dependencies.add(List.of());
            if (k % EGRESS_EVERY == EGRESS_FIRST) {
                egress.add(k);
            }
        }
    }

    /** The plan of a mesh of {@code count} namespaces, before its dependencies are drawn. */
    public static NamespacePlan of(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("namespaces: " + count + " (expected: >= 1)");
        }
        return new NamespacePlan(count);
    }

    private static boolean isShared(int k) {
        for (int s : SHARED) {
            if (s == k) {
                return true;
            }
        }
        return false;
    }

    /** Draws each namespace's dependencies: three domains for an entry namespace, two deeper domains for a domain. */
    public void drawDependencies(SplittableRandom random) {
        for (int k = 0; k < count; k++) {
            List<Integer> candidates;
            int wanted;
            if (entry.contains(k)) {
                candidates = domains;
                wanted = ENTRY_DEPENDENCIES;
            } else if (shared.contains(k)) {
                continue;
            } else {
                int level = level(k);
                candidates = domains.stream().filter(d -> level(d) > level).toList();
                wanted = DOMAIN_DEPENDENCIES;
            }
            Set<Integer> picked = new LinkedHashSet<>();
            for (int i = 0; i < wanted && !candidates.isEmpty(); i++) {
                picked.add(candidates.get(random.nextInt(candidates.size())));
            }
            dependencies.set(k, List.copyOf(picked));
        }
    }

    /**
     * An external host for namespace {@code k} to call, from its share of the {@code hosts} external hosts, or
     * -1 when {@code k} calls none (when the mesh has fewer than three namespaces, each calls every host).
     */
    public int externalHost(SplittableRandom random, int k, int hosts) {
        if (egress.isEmpty()) {
            return random.nextInt(hosts);
        }
        int i = egress.indexOf(k);
        if (i < 0) {
            return -1;
        }
        int from = (int) ((long) hosts * i / egress.size());
        int to = Math.max(from + 1, (int) ((long) hosts * (i + 1) / egress.size()));
        return Math.min(hosts - 1, from + random.nextInt(to - from));
    }

    /** The level of domain namespace {@code k}, 0..DOMAIN_LEVELS-1: a domain depends only on deeper ones. */
    private int level(int k) {
        return domains.indexOf(k) % DOMAIN_LEVELS;
    }

    /** The entry namespaces (never empty: namespace 0 is one). */
    public List<Integer> entry() {
        return entry;
    }

    /** The shared namespaces namespace {@code k} calls: all of them, or for a shared one those after it. */
    public List<Integer> shared(int k) {
        if (!shared.contains(k)) {
            return shared;
        }
        return shared.subList(shared.indexOf(k) + 1, shared.size());
    }

    /** The domain namespaces namespace {@code k} depends on (empty until drawn). */
    public List<Integer> dependencies(int k) {
        return dependencies.get(k);
    }
}
