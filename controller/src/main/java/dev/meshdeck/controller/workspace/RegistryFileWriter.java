package dev.meshdeck.controller.workspace;

import dev.meshdeck.controller.registry.ProxyInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Saves the registry to its {@link RegistryFile} when it changes, coalesced: the first change after a write
 * schedules the next one {@code delay} later, and that write saves whatever the registry is by then, so a
 * burst of joins costs one write. A set equal to the one last written is not written again. Closing writes a
 * pending change at once. A failed write is logged and retried with the next change.
 */
public final class RegistryFileWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistryFileWriter.class.getName());

    private final RegistryFile file;
    private final ScheduledExecutorService scheduler;
    private final Duration delay;
    private List<ProxyInfo> latest;
    private List<ProxyInfo> written;
    private ScheduledFuture<?> pending;
    private boolean closed;

    /**
     * @param written what the file holds now (what was restored from it), so that it is not rewritten as is
     */
    public RegistryFileWriter(RegistryFile file, ScheduledExecutorService scheduler, Duration delay,
                              List<ProxyInfo> written) {
        this.file = Objects.requireNonNull(file, "file");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.delay = Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: zero or more)");
        }
        this.written = List.copyOf(written);
        this.latest = this.written;
    }

    /** Notes the registry's proxies now; they are saved within {@code delay}. */
    public synchronized void changed(List<ProxyInfo> proxies) {
        if (closed) {
            return;
        }
        latest = List.copyOf(proxies);
        if (pending == null && !latest.equals(written)) {
            try {
                pending = scheduler.schedule(this::flush, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // The controller is stopping; close() writes what is pending.
            }
        }
    }

    private synchronized void flush() {
        pending = null;
        if (latest.equals(written)) {
            return;
        }
        try {
            file.save(latest);
            written = latest;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot save the proxy registry to " + file.path()
                    + "; a restarted controller may miss proxies until they reconnect", e);
        }
    }

    /** Writes a pending change now and stops writing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        flush();
        closed = true;
    }
}
