package dev.meshdeck.dataplane.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.xds.internal.Backoff;
import dev.meshdeck.dataplane.xds.internal.ConfigDumpJson;
import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.Node;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;
import dev.meshdeck.dataplane.xds.proto.envoy.service.discovery.v3.DiscoveryRequest;
import dev.meshdeck.dataplane.xds.proto.envoy.service.discovery.v3.DiscoveryResponse;
import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import dev.meshdeck.dataplane.xds.proto.google.rpc.Status;
import dev.meshdeck.dataplane.grpc.GrpcCall;
import dev.meshdeck.dataplane.grpc.GrpcChannel;
import dev.meshdeck.dataplane.grpc.GrpcChannelOptions;
import dev.meshdeck.dataplane.grpc.GrpcMethod;
import dev.meshdeck.dataplane.grpc.GrpcStatus;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The sidecar's xDS client: one ADS stream to the controller, state of the world, as Envoy does it.
 *
 * <ul>
 *   <li>Subscribes to CDS and LDS (wildcard), then to the EDS and RDS resources the clusters and listeners
 *       name, following every change of those names.</li>
 *   <li>Checks every response with {@link XdsConfigReader}: ACKs one it can apply ({@code version_info} +
 *       {@code response_nonce}), NACKs one it cannot (the previously accepted version + {@code error_detail})
 *       and keeps the last good state.</li>
 *   <li>Publishes a {@link ProxyConfig} to its listener whenever the accepted state is complete (every
 *       referenced route config, cluster and assignment present — Envoy's warming) and differs from the last
 *       one published.</li>
 *   <li>Reconnects after the stream fails with jittered exponential backoff; while disconnected the last
 *       config stays in force (nothing is published).</li>
 * </ul>
 *
 * <p>The listener is called on the client's thread, one config at a time; it must not block.
 */
public final class AdsClient implements AutoCloseable {
    private static final Logger LOG = System.getLogger(AdsClient.class.getName());
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(250);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(30);
    /** {@code google.rpc.Code.INVALID_ARGUMENT}, the code of a NACK's {@code error_detail}. */
    private static final int INVALID_ARGUMENT = 3;
    /**
     * ADS's one method (bidirectional streaming), on the sidecar's lite classes (the generated full stub would
     * load the whole Envoy API's descriptors).
     */
    static final GrpcMethod<DiscoveryRequest, DiscoveryResponse> STREAM_AGGREGATED_RESOURCES = GrpcMethod.protobuf(
            "envoy.service.discovery.v3.AggregatedDiscoveryService", "StreamAggregatedResources",
            DiscoveryResponse.parser());
    /** The controller's channel: keepalive as Envoy and grpc-xds do it, room for a large mesh's snapshot. */
    static final GrpcChannelOptions CHANNEL_OPTIONS = GrpcChannelOptions.DEFAULTS
            .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10))
            .withMaxInboundMessageBytes(16 * 1024 * 1024);

    private final GrpcChannel channel;
    private final GrpcChannel ownedChannel;
    private final Node node;
    private final Consumer<ProxyConfig> listener;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Backoff backoff;

    private final Map<XdsType, TypeState> states = new EnumMap<>(XdsType.class);
    private Stream current;
    private ScheduledFuture<?> reconnect;
    private boolean closed;
    private boolean leaving;
    private CompletableFuture<Void> left;
    private XdsResources published;
    private ProxyConfig config;
    private List<String> warming = List.of();
    private String lastNack;
    private long streamsOpened;

    /** Per type: what is subscribed, what was accepted (version and resources), and the stream's last nonce. */
    private static final class TypeState {
        String version = "";
        String nonce = "";
        Set<String> names = new TreeSet<>();
        Map<String, MessageLite> accepted = new TreeMap<>();
    }

    /**
     * A client on {@code channel} (not closed by {@link #close()}), reconnecting on {@code scheduler}
     * (not shut down either) with jitter from {@code random}.
     */
    public AdsClient(GrpcChannel channel, NodeIdentity identity, Consumer<ProxyConfig> listener,
                     ScheduledExecutorService scheduler, RandomGenerator random, Duration backoffBase, Duration backoffCap) {
        this(channel, null, identity, listener, scheduler, false, new Backoff(backoffBase, backoffCap, random));
    }

    private AdsClient(GrpcChannel channel, GrpcChannel ownedChannel, NodeIdentity identity, Consumer<ProxyConfig> listener,
                      ScheduledExecutorService scheduler, boolean ownsScheduler, Backoff backoff) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.ownedChannel = ownedChannel;
        this.node = Objects.requireNonNull(identity, "identity").toNode();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ownsScheduler = ownsScheduler;
        this.backoff = backoff;
        for (XdsType t : XdsType.values()) {
            states.put(t, new TypeState());
        }
    }

    /**
     * A client of the controller at {@code target} ({@code host:port}, plain text HTTP/2) with its own channel,
     * closed by {@link #close()}; reconnects are scheduled on the channel's event loop. Call {@link #start()}
     * to connect.
     */
    public static AdsClient forTarget(String target, NodeIdentity identity, Consumer<ProxyConfig> listener) {
        // Our own small gRPC client on the proxy's Netty and Netty's default allocator: no grpc-java, no Guava.
        GrpcChannel channel = GrpcChannel.forTarget(target, CHANNEL_OPTIONS);
        return new AdsClient(channel, channel, identity, listener, channel.executor(), false,
                new Backoff(DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP, RandomGenerator.getDefault()));
    }

    /** The channel to the controller (the CA client shares it: Istio's CA API is served on the same address). */
    public GrpcChannel channel() {
        return channel;
    }

    /** Opens the ADS stream and subscribes. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("ADS client is closed");
        }
        if (current == null && reconnect == null) {
            openStream();
        }
    }

    /** The last published config, if any arrived complete. */
    public synchronized Optional<ProxyConfig> config() {
        return Optional.ofNullable(config);
    }

    /** The accepted version per type ({@code CDS}, {@code EDS}, {@code LDS}, {@code RDS}); empty before the first. */
    public synchronized Map<String, String> versions() {
        Map<String, String> v = new TreeMap<>();
        states.forEach((t, s) -> {
            if (!s.version.isEmpty()) {
                v.put(t.name(), s.version);
            }
        });
        return v;
    }

    /** The accepted resources as received. */
    public synchronized XdsResources resources() {
        return new XdsResources(typed(XdsType.LDS, Listener.class), typed(XdsType.RDS, RouteConfiguration.class),
                typed(XdsType.CDS, Cluster.class), typed(XdsType.EDS, ClusterLoadAssignment.class));
    }

    /** What the accepted state still waits for before it can be published (empty when complete). */
    public synchronized List<String> warming() {
        return warming;
    }

    /** The error detail of the last NACK sent, if any. */
    public synchronized Optional<String> lastNack() {
        return Optional.ofNullable(lastNack);
    }

    /** Whether a stream is open (it may not have received anything yet). */
    public synchronized boolean connected() {
        return current != null;
    }

    /** How many ADS streams this client has opened. */
    public synchronized long streamsOpened() {
        return streamsOpened;
    }

    /**
     * The accepted resources as Envoy's admin {@code ConfigDump} in JSON (listeners, route configs,
     * clusters and endpoints with their versions), as {@code /config_dump} serves it: every field, read from the
     * resources' bytes with Envoy's descriptors, which are built for the dump and dropped after it.
     */
    public String configDumpJson() {
        return configDumpJson(ConfigDumpQuery.ALL);
    }

    /** {@link #configDumpJson()}, or what of it {@code query} asks for (Envoy's {@code resource} and {@code name_regex}). */
    public String configDumpJson(ConfigDumpQuery query) {
        XdsResources r;
        Map<String, String> v;
        synchronized (this) {
            r = resources();
            v = versions();
        }
        return ConfigDumpJson.render(r, v, query);
    }

    /**
     * Says goodbye to the controller (a sidecar does when it starts to drain): half-closes the stream, which the
     * controller takes as the proxy leaving the mesh at once, rather than after the grace period it gives a
     * stream that breaks; the other proxies then stop sending to this one. No reconnect follows, and responses
     * that still arrive are not applied; the last config stays in force. {@link #close()} is still needed.
     *
     * @return completes when the controller has ended the stream, or at once when no stream is open
     */
    public CompletableFuture<Void> leave() {
        Stream s;
        synchronized (this) {
            if (closed || leaving) {
                return left != null ? left : CompletableFuture.completedFuture(null);
            }
            leaving = true;
            if (reconnect != null) {
                reconnect.cancel(false);
                reconnect = null;
            }
            s = current;
            left = s == null ? CompletableFuture.completedFuture(null)
                    : new CompletableFuture<>();
        }
        if (s != null) {
            s.call.halfClose();
        }
        return left;
    }

    /** Stops the stream and any reconnect; closes the channel and scheduler if this client made them. */
    @Override
    public void close() {
        Stream s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = current;
            current = null;
            if (reconnect != null) {
                reconnect.cancel(false);
                reconnect = null;
            }
        }
        if (s != null) {
            s.call.cancel("ADS client closed");
        }
        if (ownedChannel != null) {
            ownedChannel.close();
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    // ---- stream ------------------------------------------------------------------------------------------

    private void openStream() {
        Stream s = new Stream();
        current = s;
        reconnect = null;
        streamsOpened++;
        states.values().forEach(st -> st.nonce = "");
        s.call = channel.start(STREAM_AGGREGATED_RESOURCES, null, s);
        // As Envoy: clusters first, then listeners; the named types only once there are names to ask for.
        for (XdsType t : XdsType.values()) {
            if (t.wildcard() || !states.get(t).names.isEmpty()) {
                send(t, null);
            }
        }
    }

    private synchronized void onResponse(Stream s, DiscoveryResponse response) {
        if (s != current || closed || leaving) {
            return;
        }
        backoff.reset();
        Optional<XdsType> maybeType = XdsType.ofTypeUrl(response.getTypeUrl());
        if (maybeType.isEmpty()) {
            LOG.log(Level.WARNING, "ignoring an ADS response of type {0}, which the sidecar never asked for",
                    response.getTypeUrl());
            return;
        }
        XdsType type = maybeType.get();
        TypeState state = states.get(type);
        state.nonce = response.getNonce();
        Map<String, MessageLite> next;
        XdsResources candidate;
        try {
            List<MessageLite> resources = unpack(type, response.getResourcesList());
            XdsConfigReader.validate(type, resources);
            next = nextAccepted(type, resources);
            candidate = candidate(type, next);
            // Cross-resource problems (a complete state that still does not make a config) are NACKed too.
            XdsConfigReader.assemble(candidate, Map.of());
        } catch (XdsConfigException e) {
            lastNack = type + " version " + response.getVersionInfo() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "NACK {0}", lastNack);
            send(type, e.getMessage());
            return;
        }
        Map<String, MessageLite> previousAccepted = state.accepted;
        String previousVersion = state.version;
        state.accepted = next;
        state.version = response.getVersionInfo();
        // The config is put in place before the ACK, so that one the proxy cannot apply (a port taken) is NACKed.
        Optional<String> notApplied = publishIfComplete();
        if (notApplied.isPresent()) {
            state.accepted = previousAccepted;
            state.version = previousVersion;
            lastNack = type + " version " + response.getVersionInfo() + ": " + notApplied.get();
            LOG.log(Level.WARNING, "NACK {0}", lastNack);
            send(type, notApplied.get());
            return;
        }
        send(type, null);
        if (type == XdsType.LDS || type == XdsType.CDS) {
            XdsType dependent = type == XdsType.LDS ? XdsType.RDS : XdsType.EDS;
            Set<String> names = new TreeSet<>(XdsConfigReader.references(type, next.values()));
            TypeState dep = states.get(dependent);
            // As Envoy re-subscribes its warming clusters and listeners: ask again when the names change or some
            // are still missing (a server may have dropped the earlier request it could not answer in full).
            if (!names.equals(dep.names) || !dep.accepted.keySet().containsAll(names)) {
                dep.names = names;
                dep.accepted.keySet().retainAll(names);
                send(dependent, null);
            }
        }
    }

    private Map<String, MessageLite> nextAccepted(XdsType type, List<MessageLite> resources) {
        Map<String, MessageLite> next = new TreeMap<>();
        if (!type.wildcard()) {
            next.putAll(states.get(type).accepted);
        }
        for (MessageLite m : resources) {
            next.put(name(m), m);
        }
        if (!type.wildcard()) {
            next.keySet().retainAll(states.get(type).names);
        }
        return next;
    }

    private XdsResources candidate(XdsType type, Map<String, MessageLite> next) {
        Map<XdsType, Map<String, MessageLite>> all = new EnumMap<>(XdsType.class);
        states.forEach((t, s) -> all.put(t, t == type ? next : s.accepted));
        return new XdsResources(cast(all.get(XdsType.LDS)), cast(all.get(XdsType.RDS)),
                cast(all.get(XdsType.CDS)), cast(all.get(XdsType.EDS)));
    }

    /**
     * Hands the accepted state to the listener if it makes a complete config that is new.
     *
     * @return why the listener could not apply it (its exception's message), if it could not
     */
    private Optional<String> publishIfComplete() {
        XdsResources accepted = resources();
        if (accepted.equals(published)) {
            return Optional.empty();
        }
        switch (XdsConfigReader.assemble(accepted, versions())) {
            case XdsConfigReader.Assembly.Complete c -> {
                try {
                    listener.accept(c.config());
                } catch (RuntimeException e) {
                    return Optional.of("the sidecar cannot apply this config: " + e.getMessage());
                }
                warming = List.of();
                published = accepted;
                config = c.config();
            }
            case XdsConfigReader.Assembly.Warming w -> warming = w.missing();
        }
        return Optional.empty();
    }

    private void send(XdsType type, String errorDetail) {
        TypeState s = states.get(type);
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
                .setNode(node)
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(s.version)
                .setResponseNonce(s.nonce)
                .addAllResourceNames(type.wildcard() ? List.of() : s.names);
        if (errorDetail != null) {
            request.setErrorDetail(Status.newBuilder().setCode(INVALID_ARGUMENT).setMessage(errorDetail));
        }
        if (current != null && !leaving) {
            current.call.send(request.build());
        }
    }

    private synchronized void onStreamEnd(Stream s, GrpcStatus status) {
        if (s != current || closed) {
            return;
        }
        current = null;
        if (leaving) {
            left.complete(null);
            return;
        }
        Duration delay = backoff.next();
        LOG.log(Level.INFO, "ADS stream ended ({0}); the last config stays in force; reconnecting in {1} ms",
                status.isOk() ? "closed by the controller" : status.toString(), delay.toMillis());
        reconnect = scheduler.schedule(this::reconnect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void reconnect() {
        if (!closed && !leaving && current == null) {
            openStream();
        }
    }

    private final class Stream implements GrpcCall.Listener<DiscoveryResponse> {
        GrpcCall<DiscoveryRequest> call;

        @Override
        public void onMessage(DiscoveryResponse value) {
            onResponse(this, value);
        }

        @Override
        public void onClose(GrpcStatus status) {
            onStreamEnd(this, status);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static List<MessageLite> unpack(XdsType type, List<Any> resources) {
        List<MessageLite> out = new ArrayList<>(resources.size());
        for (Any any : resources) {
            if (!any.getTypeUrl().equals(type.typeUrl())) {
                throw new XdsConfigException(type + " response: a resource of type " + any.getTypeUrl()
                        + " (expected: " + type.typeUrl() + ")");
            }
            try {
                out.add(type.parser().parseFrom(any.getValue()));
            } catch (InvalidProtocolBufferException e) {
                throw new XdsConfigException(type + " response: a resource cannot be decoded: " + e.getMessage());
            }
        }
        return out;
    }

    private static String name(MessageLite m) {
        return switch (m) {
            case Listener l -> l.getName();
            case RouteConfiguration rc -> rc.getName();
            case Cluster c -> c.getName();
            case ClusterLoadAssignment cla -> cla.getClusterName();
            default -> throw new IllegalArgumentException("not an xDS resource: " + m.getClass().getName());
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends MessageLite> Map<String, T> cast(Map<String, MessageLite> m) {
        return (Map<String, T>) (Map<String, ?>) new LinkedHashMap<>(m);
    }

    private <T extends MessageLite> Map<String, T> typed(XdsType type, Class<T> cls) {
        return cast(states.get(type).accepted);
    }
}
