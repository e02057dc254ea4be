package dev.meshdeck.viz.render.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * An executor of one daemon thread, started when first given a task and stopped by {@link #stop} (tasks
 * not yet started are dropped); a task given after a stop starts a new thread. Tasks run one at a time, in
 * the order given.
 */
public final class BackgroundThread implements Executor {

    private final String name;
    private ExecutorService service;

    /** An executor whose thread is called {@code name}. */
    public BackgroundThread(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("thread name: '" + name + "' (expected: a name)");
        }
        this.name = name;
    }

    @Override
    public synchronized void execute(Runnable task) {
        if (service == null) {
            service = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        service.execute(task);
    }

    /** Whether a thread is running (it was given a task since it was made or last stopped). */
    public synchronized boolean isRunning() {
        return service != null;
    }

    /** Stops the thread: the task running is interrupted, those not started are dropped. */
    public synchronized void stop() {
        if (service != null) {
            service.shutdownNow();
            service = null;
        }
    }
}
