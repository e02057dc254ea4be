package dev.meshdeck.controller.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a task on an executor whenever {@link #request()} is called, but never twice at once and never
 * more often than needed: requests that arrive while the task runs are folded into one more run.
 * Used to re-translate the mesh after bursts of registry changes.
 */
public final class CoalescingRunner {
    private final Executor executor;
    private final Runnable task;
    private final AtomicInteger pending = new AtomicInteger();

    public CoalescingRunner(Executor executor, Runnable task) {
        this.executor = executor;
        this.task = task;
    }

    public void request() {
        if (pending.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int seen;
        do {
            seen = pending.get();
            try {
                task.run();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(CoalescingRunner.class.getName())
                        .log(java.util.logging.Level.SEVERE, "coalesced task failed", e);
            }
        } while (pending.addAndGet(-seen) != 0);
    }
}
