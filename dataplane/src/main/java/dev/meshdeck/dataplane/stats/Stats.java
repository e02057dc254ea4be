package dev.meshdeck.dataplane.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sidecar's statistics, named as Envoy names them ({@code cluster.<name>.upstream_rq_2xx},
 * {@code http.<listener>.downstream_rq_total}) so that a reader who knows Envoy's admin page knows ours.
 * Counters are cheap to bump from any event loop; histograms record milliseconds.
 */
public final class Stats {
    private final Map<String, Counter> counters = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> histograms = new ConcurrentSkipListMap<>();
    private final Map<String, Counter> cache = new ConcurrentHashMap<>();
    private final java.util.Set<String> gauges = ConcurrentHashMap.newKeySet();

    /** The counter {@code name}, created at zero on first use. */
    public Counter counter(String name) {
        Counter c = cache.get(name);
        if (c == null) {
            c = counters.computeIfAbsent(name, n -> new Counter());
            cache.putIfAbsent(name, c);
        }
        return c;
    }

    /**
     * The gauge {@code name}, created at zero on first use: a value that goes up and down (Envoy's
     * {@code ejections_active}, {@code upstream_cx_active}), bumped with {@link Counter#inc} and
     * {@link Counter#dec}, and typed {@code gauge} for Prometheus.
     */
    public Counter gauge(String name) {
        gauges.add(name);
        return counter(name);
    }

    /** Whether {@code name} is a {@link #gauge}. */
    public boolean isGauge(String name) {
        return gauges.contains(name);
    }

    /** The histogram {@code name}, created empty on first use. */
    public Histogram histogram(String name) {
        return histograms.computeIfAbsent(name, n -> new Histogram());
    }

    /** Every counter's value, by name, sorted. */
    public Map<String, Long> counterValues() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** The names of the counters and gauges that were ever changed ({@link Counter#used}). */
    public java.util.Set<String> used() {
        java.util.Set<String> out = new java.util.HashSet<>();
        counters.forEach((k, v) -> {
            if (v.used()) {
                out.add(k);
            }
        });
        return out;
    }

    /** Every histogram, by name, sorted. */
    public Map<String, Histogram> histograms() {
        return java.util.Collections.unmodifiableMap(histograms);
    }

    /** A counter, or a {@link #gauge}'s value (which {@link #dec} takes down). */
    public static final class Counter {
        private final LongAdder adder = new LongAdder();
        /**
         * Whether it was ever changed (Envoy's "used", for {@code usedonly}): a gauge back at zero still was. Plain, not
         * volatile: a reader may see it a moment late, and the bump stays one read on the request path.
         */
        private boolean used;

        public void inc() {
            adder.increment();
            markUsed();
        }

        /** For a gauge: one less (a connection closed, a request ended). */
        public void dec() {
            adder.decrement();
            markUsed();
        }

        public void add(long n) {
            adder.add(n);
            if (n != 0) {
                markUsed();
            }
        }

        private void markUsed() {
            if (!used) {
                used = true;
            }
        }

        /** Whether it was ever changed. */
        public boolean used() {
            return used;
        }

        public long value() {
            return adder.sum();
        }
    }
}
