package dev.meshdeck.viz.io.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The services of a synthetic mesh by call tier (0 = entry points) and namespace. */
public final class Tiers {

    private final int depth;
    private final List<List<String>> byTier = new ArrayList<>();
    /** Services of namespace k in tier t at index {@code k * depth + t}. */
    private final List<List<String>> byNamespaceAndTier = new ArrayList<>();

    public Tiers(int namespaces, int depth) {
        this.depth = depth;
        for (int t = 0; t < depth; t++) {
            byTier.add(new ArrayList<>());
        }
        for (int i = 0; i < namespaces * depth; i++) {
            byNamespaceAndTier.add(new ArrayList<>());
        }
    }

    public int depth() {
        return depth;
    }

    public void add(int namespace, int tier, String service) {
        byTier.get(tier).add(service);
        byNamespaceAndTier.get(namespace * depth + tier).add(service);
    }

    /** The services of {@code tier}, in the order added. */
    public List<String> tier(int tier) {
        return byTier.get(tier);
    }

    /**
     * A random service of {@code namespace} in {@code tier}, or in the nearest deeper tier that has one;
     * {@code null} when the namespace has none that deep.
     */
    public String pick(SplittableRandom random, int namespace, int tier) {
        for (int t = tier; t < depth; t++) {
            List<String> candidates = byNamespaceAndTier.get(namespace * depth + t);
            if (!candidates.isEmpty()) {
                return candidates.get(random.nextInt(candidates.size()));
            }
        }
        return null;
    }
}
