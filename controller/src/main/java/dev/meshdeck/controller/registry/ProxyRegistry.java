package dev.meshdeck.controller.registry;

import dev.meshdeck.controller.api.MeshEvent;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The proxies of the mesh, learned from their xDS streams. A proxy joins with the first request of a
 * stream that carries its {@link Node}; when its last stream breaks (an error, a cancel, a lost connection) it
 * stays a member for a grace period and then leaves, unless a stream with the same node id comes back first.
 * When the proxy itself closes its last stream (a half-close: the goodbye a Meshdeck sidecar sends when it
 * starts to drain) it leaves at once, so that the other proxies stop sending to it. Several streams of one node (a
 * reconnect racing the old stream's end, or one stream per xDS type) are counted. After a restart, the
 * proxies the previous run knew are {@linkplain #restore restored} as members whose streams have ended.
 *
 * <p>Hook it into the xDS server as one of its {@link DiscoveryServerCallbacks}. Listeners hear membership
 * changes and events in order, on the thread of the change (or of the grace timer), never under a lock.
 */
public final class ProxyRegistry implements DiscoveryServerCallbacks {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /**
     * How long proxies {@linkplain #restore restored} after a restart wait for their reconnect: the
     * sidecar's reconnect backoff caps at 30 s, plus 10 s for a slow connect on a busy host.
     */
    public static final Duration DEFAULT_RESTART_GRACE = Duration.ofSeconds(40);
    /**
     * How long after a goodbye a proxy leaves: at once, but not on the stream's own thread, which calls the
     * registry before the xDS server has dropped the stream's watches (its snapshot can be cleared only then).
     */
    public static final Duration GOODBYE = Duration.ofMillis(100);

    /**
     * One member as the registry sees it.
     *
     * @param info           who it is, from its node
     * @param connected      whether a stream of it is open (false during the grace period)
     * @param connectedSince when its current streams began (when the last one began if it is gone)
     */
    public record Member(ProxyInfo info, boolean connected, Instant connectedSince) {
        public Member {
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(connectedSince, "connectedSince");
        }
    }

    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final Listeners<RegistryState> changes = new Listeners<>("registry change");
    private final Listeners<MeshEvent> events = new Listeners<>("registry event");

    private final Object lock = new Object();
    private final Map<Long, String> streamNodes = new HashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private RegistryState state = RegistryState.EMPTY;

    /** A registry with the {@linkplain #DEFAULT_GRACE default grace period}. */
    public ProxyRegistry(Clock clock, ScheduledExecutorService scheduler) {
        this(clock, scheduler, DEFAULT_GRACE);
    }

    /**
     * @param clock     tells the time of events
     * @param scheduler runs the end of grace periods
     * @param grace     how long a proxy whose streams all ended stays a member (zero or more)
     */
    public ProxyRegistry(Clock clock, ScheduledExecutorService scheduler, Duration grace) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace: " + grace + " (expected: zero or more)");
        }
        this.grace = grace;
    }

    /** The members now, sorted by node id. */
    public RegistryState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The member with node id {@code nodeId}, if it is one. */
    public Optional<Member> member(String nodeId) {
        synchronized (lock) {
            Entry e = entries.get(nodeId);
            return Optional.ofNullable(e == null ? null : e.member());
        }
    }

    /** Every member, sorted by node id. */
    public List<Member> members() {
        synchronized (lock) {
            List<Member> all = new ArrayList<>(entries.size());
            entries.values().forEach(e -> all.add(e.member()));
            all.sort(Comparator.comparing(m -> m.info().nodeId()));
            return all;
        }
    }

    /** Calls {@code listener} with the new state whenever a proxy joins, leaves or reports new node data. */
    public Subscription onChange(Consumer<RegistryState> listener) {
        return changes.add(listener);
    }

    /** Calls {@code listener} with {@code PROXY_CONNECTED} and {@code PROXY_GONE} events. */
    public Subscription onEvent(Consumer<MeshEvent> listener) {
        return events.add(listener);
    }

    /**
     * Takes back the proxies a previous run of the controller knew (see {@code workspace.RegistryFile}), as
     * members whose streams have ended: each stays for {@code restartGrace} from now and then leaves, unless a
     * stream with its node id comes first, in which case it carries on as if it had never gone. Proxies that
     * are members already are left as they are. Call it before the xDS server starts, so that the first
     * snapshots already hold every workload's endpoints.
     */
    public void restore(Collection<ProxyInfo> proxies, Duration restartGrace) {
        Objects.requireNonNull(restartGrace, "restartGrace");
        if (restartGrace.isNegative()) {
            throw new IllegalArgumentException("restartGrace: " + restartGrace + " (expected: zero or more)");
        }
        synchronized (lock) {
            Instant now = clock.instant();
            boolean added = false;
            for (ProxyInfo info : proxies) {
                if (entries.containsKey(info.nodeId())) {
                    continue;
                }
                Entry e = new Entry(info, now);
                e.streams = 0;
                entries.put(info.nodeId(), e);
                scheduleLeave(info.nodeId(), e, restartGrace, "did not reconnect within " + restartGrace.toMillis()
                        + " ms of the controller's restart");
                added = true;
            }
            if (added) {
                stateChanged();
            }
        }
        deliver();
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        if (request.hasNode()) {
            nodeSeen(streamId, request.getNode());
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        if (request.hasNode()) {
            nodeSeen(streamId, request.getNode());
        }
    }

    /** The proxy closed its side of the stream: a goodbye. */
    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        streamEnded(streamId, true);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        streamEnded(streamId, false);
    }

    /** Records that stream {@code streamId} speaks for {@code node}; only its first node counts. */
    private void nodeSeen(long streamId, Node node) {
        if (node.getId().isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (streamNodes.containsKey(streamId)) {
                return;
            }
            ProxyInfo info = ProxyInfo.fromNode(node);
            streamNodes.put(streamId, info.nodeId());
            Instant now = clock.instant();
            Entry e = entries.get(info.nodeId());
            if (e == null) {
                entries.put(info.nodeId(), new Entry(info, now));
                stateChanged();
                events.queue(new MeshEvent(now, MeshEvent.Type.PROXY_CONNECTED, info.nodeId(), describe(info) + " connected"));
            } else {
                if (e.streams == 0) {
                    e.connectedSince = now;
                    e.cancelLeave();
                }
                e.streams++;
                if (!e.info.equals(info)) {
                    e.info = info;
                    stateChanged();
                }
            }
        }
        deliver();
    }

    private void streamEnded(long streamId, boolean goodbye) {
        synchronized (lock) {
            String nodeId = streamNodes.remove(streamId);
            Entry e = nodeId == null ? null : entries.get(nodeId);
            if (e == null) {
                return;
            }
            e.streams--;
            if (e.streams > 0) {
                return;
            }
            e.cancelLeave();
            if (goodbye) {
                scheduleLeave(nodeId, e, GOODBYE, "it closed its stream (a sidecar that stops)");
            } else {
                scheduleLeave(nodeId, e, grace, "no stream for " + grace.toMillis() + " ms");
            }
        }
    }

    /** Has {@code e} leave after {@code after} unless a stream comes back first; call under the lock. */
    private void scheduleLeave(String nodeId, Entry e, Duration after, String why) {
        long generation = ++e.disconnects;
        try {
            e.leave = scheduler.schedule(() -> leave(nodeId, e, generation, why), after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // The controller is stopping: nobody is left to hear that the proxy went.
        }
    }

    private void leave(String nodeId, Entry e, long generation, String why) {
        synchronized (lock) {
            if (entries.get(nodeId) != e || e.streams > 0 || e.disconnects != generation) {
                return;
            }
            entries.remove(nodeId);
            stateChanged();
            events.queue(new MeshEvent(clock.instant(), MeshEvent.Type.PROXY_GONE, nodeId,
                    describe(e.info) + " gone: " + why));
        }
        deliver();
    }

    /** Rebuilds the state and queues it for the change listeners; call under the lock. */
    private void stateChanged() {
        List<ProxyInfo> proxies = new ArrayList<>(entries.size());
        entries.values().forEach(e -> proxies.add(e.info));
        state = new RegistryState(proxies);
        changes.queue(state);
    }

    private void deliver() {
        changes.deliver();
        events.deliver();
    }

    private static String describe(ProxyInfo info) {
        String who = info.service().isEmpty() ? "client" : info.service() + "." + info.namespace();
        String kind = info.type() == ProxyType.SIDECAR ? "sidecar" : "proxyless gRPC";
        return kind + " " + info.nodeId() + " (" + who + ")";
    }

    /** A member's mutable bookkeeping, guarded by the registry's lock. */
    private static final class Entry {
        ProxyInfo info;
        Instant connectedSince;
        int streams = 1;
        long disconnects;
        ScheduledFuture<?> leave;

        Entry(ProxyInfo info, Instant connectedSince) {
            this.info = info;
            this.connectedSince = connectedSince;
        }

        Member member() {
            return new Member(info, streams > 0, connectedSince);
        }

        void cancelLeave() {
            if (leave != null) {
                leave.cancel(false);
                leave = null;
            }
        }
    }
}
