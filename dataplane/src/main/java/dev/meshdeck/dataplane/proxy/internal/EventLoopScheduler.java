package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.lb.Scheduler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} on a Netty event loop (outlier detection's interval timer in the proxy). */
public record EventLoopScheduler(EventExecutor loop) implements Scheduler {

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        try {
            var future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { }; // the proxy is closing: nothing will run any more
        }
    }
}
