package dev.meshdeck.controller.xds;

import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.api.ProxyStatus.TypeSync;
import dev.meshdeck.controller.registry.Listeners;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.registry.Subscription;
import io.envoyproxy.controlplane.cache.SnapshotCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What each proxy was sent and what it accepted, per xDS type, in the manner of {@code istioctl
 * proxy-status}. A request whose {@code response_nonce} is that of the last response of its type on its
 * stream is an ACK of that response's version when it has no {@code error_detail}, and a NACK otherwise; a
 * NACK holds until a later version is ACKed. Requests that answer older responses are ignored, as the xDS
 * protocol prescribes.
 *
 * <p>Hook it into the xDS server as one of its {@link DiscoveryServerCallbacks}; callbacks may arrive on
 * any gRPC thread. Proxies are listed while they are members of the {@link ProxyRegistry}.
 */
public final class SyncTracker implements DiscoveryServerCallbacks {
    private final ProxyRegistry registry;
    private final SnapshotCache<String, Snapshot> cache;
    private final Clock clock;
    private final Listeners<MeshEvent> events = new Listeners<>("sync event");
    private final ConcurrentHashMap<Long, StreamSync> streams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NodeSync> nodes = new ConcurrentHashMap<>();

    /**
     * @param registry the members to report on; a proxy's record is dropped when it leaves
     * @param cache    the snapshots the proxies should run, to tell a type never sent from one with nothing to send
     * @param clock    tells the time of events
     */
    public SyncTracker(ProxyRegistry registry, SnapshotCache<String, Snapshot> cache, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        registry.onEvent(e -> {
            if (e.type() == MeshEvent.Type.PROXY_GONE) {
                nodes.remove(e.subject());
            }
        });
    }

    /** Calls {@code listener} with a {@code NACK_RECEIVED} event for every NACK of a proxy's latest response. */
    public Subscription onEvent(Consumer<MeshEvent> listener) {
        return events.add(listener);
    }

    /** The sync state of the member {@code nodeId}. */
    public Optional<ProxyStatus> status(String nodeId) {
        return registry.member(nodeId).map(this::status);
    }

    /** The sync state of every member, sorted by node id. */
    public List<ProxyStatus> statuses() {
        List<ProxyStatus> all = new ArrayList<>();
        for (ProxyRegistry.Member m : registry.members()) {
            all.add(status(m));
        }
        return all;
    }

    private ProxyStatus status(ProxyRegistry.Member m) {
        ProxyInfo info = m.info();
        NodeSync sync = nodes.get(info.nodeId());
        Snapshot snapshot = cache.getSnapshot(info.nodeId());
        Map<String, TypeSync> types = new LinkedHashMap<>();
        for (String type : XdsTypes.SHORT_NAMES) {
            TypeRecord r = sync == null ? TypeRecord.NONE : sync.get(type);
            types.put(type, r.toTypeSync(expectedVersion(snapshot, type)));
        }
        String address = info.inboundPort() > 0 ? info.address() + ":" + info.inboundPort() : "";
        return new ProxyStatus(info.nodeId(), info.service(), info.namespace(), info.labels(), address,
                m.connected(), types, m.connectedSince());
    }

    /** The version the cache holds for the type, or "" when it holds no resource of it. */
    private static String expectedVersion(Snapshot snapshot, String type) {
        if (snapshot == null) {
            return "";
        }
        var resourceType = XdsTypes.resourceType(type);
        return snapshot.resources(resourceType).isEmpty() ? "" : snapshot.version(resourceType);
    }

    @Override
    public void onStreamOpen(long streamId, String typeUrl) {
        streams.put(streamId, new StreamSync(typeUrl));
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        streams.remove(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        streams.remove(streamId);
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        // Delta xDS is served but not tracked: our clients speak state-of-the-world.
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        StreamSync stream = streams.computeIfAbsent(streamId, id -> new StreamSync(""));
        if (stream.nodeId == null && request.hasNode() && !request.getNode().getId().isEmpty()) {
            stream.nodeId = request.getNode().getId();
        }
        String typeUrl = request.getTypeUrl().isEmpty() ? stream.defaultTypeUrl : request.getTypeUrl();
        String type = XdsTypes.shortName(typeUrl);
        String nonce = request.getResponseNonce();
        if (stream.nodeId == null || type == null || nonce.isEmpty()) {
            return;
        }
        Sent last = stream.lastSent(typeUrl);
        if (last == null || !last.nonce().equals(nonce)) {
            return;
        }
        NodeSync node = node(stream.nodeId);
        if (request.hasErrorDetail()) {
            String reason = request.getErrorDetail().getMessage();
            node.nacked(type, reason);
            events.queue(new MeshEvent(clock.instant(), MeshEvent.Type.NACK_RECEIVED, stream.nodeId,
                    type + " version " + last.version() + " rejected: " + reason));
            events.deliver();
        } else {
            node.acked(type, request.getVersionInfo());
        }
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        StreamSync stream = streams.get(streamId);
        String type = XdsTypes.shortName(response.getTypeUrl());
        if (stream == null || type == null) {
            return;
        }
        String nodeId = stream.nodeId != null ? stream.nodeId : request.getNode().getId();
        if (nodeId.isEmpty()) {
            return;
        }
        stream.sent(response.getTypeUrl(), new Sent(response.getNonce(), response.getVersionInfo()));
        node(nodeId).sent(type, response.getVersionInfo());
    }

    private NodeSync node(String nodeId) {
        return nodes.computeIfAbsent(nodeId, id -> new NodeSync());
    }

    private record Sent(String nonce, String version) {
    }

    /** One stream: its node and, per type URL, its last response. */
    private static final class StreamSync {
        final String defaultTypeUrl;
        volatile String nodeId;
        private final Map<String, Sent> lastSent = new HashMap<>();

        StreamSync(String defaultTypeUrl) {
            this.defaultTypeUrl = defaultTypeUrl;
        }

        synchronized Sent lastSent(String typeUrl) {
            return lastSent.get(typeUrl);
        }

        synchronized void sent(String typeUrl, Sent sent) {
            lastSent.put(typeUrl, sent);
        }
    }

    /** One xDS type of one proxy. */
    private record TypeRecord(String sent, String acked, String nack) {
        static final TypeRecord NONE = new TypeRecord("", "", "");

        TypeSync toTypeSync(String expected) {
            SyncState state;
            if (!nack.isEmpty()) {
                state = SyncState.NACKED;
            } else if (sent.isEmpty()) {
                state = expected.isEmpty() ? SyncState.NOT_SENT : SyncState.STALE;
            } else if (!sent.equals(acked) || !expected.isEmpty() && !expected.equals(sent)) {
                state = SyncState.STALE;
            } else {
                state = SyncState.SYNCED;
            }
            return new TypeSync(sent, acked, nack, state);
        }
    }

    /** One proxy, across its streams: per short type name, what was sent, ACKed and NACKed. */
    private static final class NodeSync {
        private final Map<String, TypeRecord> types = new HashMap<>();

        synchronized TypeRecord get(String type) {
            return types.getOrDefault(type, TypeRecord.NONE);
        }

        synchronized void sent(String type, String version) {
            TypeRecord r = get(type);
            types.put(type, new TypeRecord(version, r.acked(), r.nack()));
        }

        synchronized void acked(String type, String version) {
            // An ACK always answers the latest response, so it ends any NACK of an earlier one.
            types.put(type, new TypeRecord(get(type).sent(), version, ""));
        }

        synchronized void nacked(String type, String reason) {
            TypeRecord r = get(type);
            types.put(type, new TypeRecord(r.sent(), r.acked(), reason.isEmpty() ? "rejected without a reason" : reason));
        }
    }
}
