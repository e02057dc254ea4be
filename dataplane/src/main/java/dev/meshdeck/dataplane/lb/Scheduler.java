package dev.meshdeck.dataplane.lb;

import java.time.Duration;

/**
 * Runs a task once after a delay: what outlier detection's interval timer needs. The proxy gives one backed by
 * a Netty event loop; tests give a virtual-time one that runs due tasks when they move the clock.
 */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} after {@code delay}; the returned handle cancels it if it has not run yet. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
