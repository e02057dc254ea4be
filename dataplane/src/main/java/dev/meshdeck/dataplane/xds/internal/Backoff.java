package dev.meshdeck.dataplane.xds.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff: the n-th delay is drawn from [d/2, d) with d = min(cap, base × 2^n), so
 * sidecars that lost the controller together do not come back together. Not thread-safe.
 */
public final class Backoff {
    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.random = Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff: base " + base + ", cap " + cap
                    + " (expected: 0 < base <= cap)");
        }
    }

    /** The next delay; each call doubles the ceiling until the cap. */
    public Duration next() {
        long ceiling = base.toNanos() << Math.min(attempt, 30);
        if (ceiling <= 0 || ceiling > cap.toNanos()) {
            ceiling = cap.toNanos();
        }
        attempt++;
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (ceiling - half)));
    }

    /** Back to the base delay, after a success. */
    public void reset() {
        attempt = 0;
    }
}
