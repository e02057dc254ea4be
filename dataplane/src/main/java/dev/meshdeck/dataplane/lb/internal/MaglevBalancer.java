package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.lb.XxHash64;
import java.util.List;
import java.util.OptionalLong;

/**
 * Maglev consistent hashing, as Envoy's weighted Maglev: a lookup table of {@link #TABLE_SIZE} (prime)
 * entries filled from each endpoint's permutation ({@code offset = xxHash64(address, 0) % M},
 * {@code skip = xxHash64(address, 1) % (M - 1) + 1}), an endpoint taking turns in proportion to its
 * weight. A request goes to {@code table[hash % M]}. When that endpoint is ejected or excluded, the hash is
 * re-hashed (up to {@link #REHASHES} times) instead of rebuilding the table, so no other key moves;
 * after that, a weighted random candidate. No hash: a random entry.
 */
public final class MaglevBalancer extends AbstractBalancer<int[]> {
    public static final int TABLE_SIZE = 65537;
    static final int REHASHES = 32;

    public MaglevBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        super(cluster, env);
    }

    @Override
    protected int[] build(List<Endpoint> endpoints, int[] weights) {
        int n = weights.length;
        int[] out = new int[TABLE_SIZE];
        if (n == 0) {
            return out;
        }
        java.util.Arrays.fill(out, -1);
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        long[] target = new long[n];
        int maxWeight = 0;
        for (int i = 0; i < n; i++) {
            byte[] address = endpoints.get(i).address().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            offset[i] = Long.remainderUnsigned(XxHash64.hash(address, 0), TABLE_SIZE);
            skip[i] = Long.remainderUnsigned(XxHash64.hash(address, 1), TABLE_SIZE - 1) + 1;
            maxWeight = Math.max(maxWeight, weights[i]);
        }
        int filled = 0;
        for (long iteration = 1; filled < TABLE_SIZE; iteration++) {
            for (int i = 0; i < n && filled < TABLE_SIZE; i++) {
                if (iteration * weights[i] < target[i]) {
                    continue;
                }
                target[i] += maxWeight;
                int c = (int) ((offset[i] + skip[i] * next[i]) % TABLE_SIZE);
                while (out[c] >= 0) {
                    next[i]++;
                    c = (int) ((offset[i] + skip[i] * next[i]) % TABLE_SIZE);
                }
                out[c] = i;
                next[i]++;
                filled++;
            }
        }
        return out;
    }

    @Override
    protected int choose(Table<int[]> t, OptionalLong hash, boolean[] allowed) {
        int[] table = t.policy();
        long h = hash.isPresent() ? hash.getAsLong() : random.nextLong();
        for (int attempt = 0; attempt <= REHASHES; attempt++) {
            int owner = table[(int) Long.remainderUnsigned(h, TABLE_SIZE)];
            if (allowed(allowed, owner)) {
                return owner;
            }
            h = XxHash64.hash(h, attempt + 1);
        }
        return weightedRandom(t, allowed);
    }
}
