package dev.meshdeck.controller.xds;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a restarted controller from pushing a half-known mesh. The registry is learned from the proxies'
 * own streams, so just after a restart it holds only the proxies that reconnected first, and a snapshot
 * made then would take every other workload's endpoints away. A proxy that comes back with config from
 * before (its stream's first request carries a version) is therefore left on that config until the
 * reconnects settle: {@code quiet} without another such proxy arriving, or {@code max} after the start,
 * whichever comes first. Proxies that connect for the first time are never held.
 *
 * <p>The controller uses it only when it could not restore the registry from the workspace (see
 * {@code ProxyRegistry.restore}): with the registry restored, the mesh is known from the start.
 */
public final class ResumeGate implements DiscoveryServerCallbacks, AutoCloseable {
    private final Clock clock;
    private final Instant start;
    private final Duration quiet;
    private final Duration max;
    private final Runnable onOpen;
    private final Set<String> resuming = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private volatile ScheduledFuture<?> next;
    private volatile Instant lastResume;
    private volatile boolean open;

    /**
     * @param onOpen called once when the gate opens (publish everything then)
     */
    public ResumeGate(Clock clock, ScheduledExecutorService scheduler, Duration quiet, Duration max, Runnable onOpen) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.quiet = Objects.requireNonNull(quiet, "quiet");
        this.max = Objects.requireNonNull(max, "max");
        this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.start = clock.instant();
        this.next = scheduler.schedule(this::check, quiet.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether {@code nodeId} is to be left on the config it came back with, for now. */
    public boolean holds(String nodeId) {
        return !open && resuming.contains(nodeId);
    }

    public boolean isOpen() {
        return open;
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        boolean firstOfStream = request.getResponseNonce().isEmpty();
        if (!open && firstOfStream && request.hasNode() && !request.getVersionInfo().isEmpty()) {
            resuming.add(request.getNode().getId());
            lastResume = clock.instant();
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        // Delta clients are not held.
    }

    /** Opens the gate if the reconnects have settled; otherwise looks again when they may have. */
    private synchronized void check() {
        if (open) {
            return;
        }
        Instant now = clock.instant();
        Instant last = lastResume;
        Instant settles = (last == null ? start : last).plus(quiet);
        Instant deadline = start.plus(max);
        if (!now.isBefore(settles) || !now.isBefore(deadline)) {
            open = true;
            resuming.clear();
            onOpen.run();
            return;
        }
        Instant again = settles.isBefore(deadline) ? settles : deadline;
        next = scheduler.schedule(this::check, Duration.between(now, again).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        next.cancel(false);
    }
}
