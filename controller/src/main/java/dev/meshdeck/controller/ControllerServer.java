package dev.meshdeck.controller;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ControlPlane;
import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.SourceFiles;
import dev.meshdeck.controller.api.grpc.ApiServer;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.ca.CertificateService;
import dev.meshdeck.controller.ca.MeshCa;
import dev.meshdeck.controller.ca.RootCa;
import dev.meshdeck.controller.ca.RootCaStore;
import dev.meshdeck.controller.ca.SpiffeId;
import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.internal.EventBus;
import dev.meshdeck.controller.internal.SnapshotWarmUp;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.registry.Subscription;
import dev.meshdeck.controller.translate.InboundTls;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import dev.meshdeck.controller.workspace.RegistryFile;
import dev.meshdeck.controller.workspace.RegistryFileWriter;
import dev.meshdeck.controller.workspace.Workspace;
import dev.meshdeck.controller.xds.ResumeGate;
import dev.meshdeck.controller.xds.SnapshotPublisher;
import dev.meshdeck.controller.xds.SyncTracker;
import dev.meshdeck.controller.xds.XdsServer;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A whole running controller: the workspace, the mesh CA (its root kept in the workspace), the config side
 * ({@link MeshController}), the proxy registry, the xDS server (with the CA's certificate service on the
 * same port) and the {@code meshdeck.v1} API server, started in that order and closed in reverse.
 */
public final class ControllerServer implements AutoCloseable {

    /**
     * What to start.
     *
     * @param config      a config file or directory that becomes the whole live config at start (a new
     *                    revision unless identical), if any
     * @param xdsListen   where to serve xDS
     * @param apiListen   where to serve the API over TCP; empty for none (an embedded controller)
     * @param workspace   the workspace directory
     * @param insecureApi allow the API on a non-loopback address without TLS
     * @param grace       how long a proxy whose stream ended stays in the mesh
     * @param trustDomain the mesh's trust domain: workload identities are
     *                    {@code spiffe://<trustDomain>/ns/<namespace>/sa/<service-account>}
     * @param inboundTls  what sidecars' inbound listeners accept ({@link InboundTls#PERMISSIVE} by default, as
     *                    Istio's default: mutual TLS from mesh clients beside plain text)
     */
    public record Settings(Optional<Path> config, HostPort xdsListen, Optional<HostPort> apiListen, Path workspace,
                           boolean insecureApi, Duration grace, String trustDomain, InboundTls inboundTls) {
        public Settings {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(xdsListen, "xdsListen");
            Objects.requireNonNull(apiListen, "apiListen");
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(trustDomain, "trustDomain");
            Objects.requireNonNull(inboundTls, "inboundTls");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("grace: " + grace + " (expected: 0s or more)");
            }
            SpiffeId.requireTrustDomain(trustDomain);
        }

        /** Settings with the default trust domain ({@code cluster.local}) and PERMISSIVE inbound TLS. */
        public Settings(Optional<Path> config, HostPort xdsListen, Optional<HostPort> apiListen, Path workspace,
                        boolean insecureApi, Duration grace) {
            this(config, xdsListen, apiListen, workspace, insecureApi, grace, MeshTranslator.DEFAULT_TRUST_DOMAIN,
                    InboundTls.PERMISSIVE);
        }
    }

    /** Where in the workspace the root CA is kept. */
    public static final String CA_DIR = "ca";

    /** How long after the last proxy that came back with config a restarted controller waits before pushing. */
    static final Duration RESUME_QUIET = Duration.ofSeconds(2);
    /** How long registry changes are gathered before the registry file is rewritten. */
    static final Duration REGISTRY_SAVE_DELAY = Duration.ofSeconds(1);
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ControllerServer.class.getName());

    private final Deque<AutoCloseable> toClose;
    private final MeshController controller;
    private final XdsServer xds;
    private final ApiServer api;
    private final MeshCa ca;

    private ControllerServer(Deque<AutoCloseable> toClose, MeshController controller, XdsServer xds, ApiServer api,
                             MeshCa ca) {
        this.toClose = toClose;
        this.controller = controller;
        this.xds = xds;
        this.api = api;
        this.ca = ca;
    }

    /**
     * Starts everything and returns once both servers listen.
     *
     * @throws IllegalArgumentException when the startup config is invalid (the message lists every error)
     * @throws IOException              when the workspace is locked, its root CA cannot be used (see
     *                                  {@link RootCaStore}) or an address cannot be bound
     */
    public static ControllerServer start(Settings settings) throws IOException {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            Clock clock = Clock.systemUTC();
            Workspace workspace = Workspace.open(settings.workspace());
            opened.push(workspace);
            EventBus events = new EventBus();
            // Making a root takes a few hundred milliseconds of a cold JVM: it runs beside loading the config, the
            // registry and the first translation, and is joined only where the xDS server's CA service needs it.
            SecureRandom random = new SecureRandom();
            FutureTask<RootCa> root = new FutureTask<>(() -> RootCaStore.loadOrCreate(
                    workspace.directory().resolve(CA_DIR), settings.trustDomain(), clock, random));
            Thread.ofPlatform().name("meshdeck-ca-init").daemon().start(root);
            // A start that fails (an invalid config) waits for it: nothing may write into the workspace after.
            opened.push(() -> awaitQuietly(root));
            MeshController controller = new MeshController(workspace, clock, events,
                    new MeshTranslator(settings.trustDomain(), settings.inboundTls()));
            opened.push(controller);
            if (settings.config().isPresent()) {
                applyStartupConfig(controller, settings.config().get());
            }

            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "meshdeck-registry");
                t.setDaemon(true);
                return t;
            });
            opened.push(scheduler::shutdownNow);
            ProxyRegistry registry = new ProxyRegistry(clock, scheduler, settings.grace());
            // The proxies of the last run stay members until they reconnect or their restart grace ends.
            RegistryFile.Loaded saved = workspace.registryFile().load();
            saved.warning().ifPresent(LOG::warning);
            registry.restore(saved.proxies(), max(ProxyRegistry.DEFAULT_RESTART_GRACE, settings.grace()));
            RegistryFileWriter registryWriter = new RegistryFileWriter(workspace.registryFile(), scheduler,
                    REGISTRY_SAVE_DELAY, saved.proxies());
            opened.push(registryWriter);
            SimpleCache<String> cache = XdsServer.newCache();
            SyncTracker tracker = new SyncTracker(registry, cache, clock);
            List<Subscription> subscriptions = new ArrayList<>();
            subscriptions.add(registry.onEvent(events::publish));
            subscriptions.add(tracker.onEvent(events::publish));
            subscriptions.add(registry.onChange(state -> controller.registryChanged()));
            subscriptions.add(registry.onChange(state -> registryWriter.changed(state.proxies())));
            subscriptions.forEach(s -> opened.push(s::close));

            List<DiscoveryServerCallbacks> callbacks = new ArrayList<>(List.of(registry, tracker));
            Predicate<String> held = nodeId -> false;
            if (saved.proxies().isEmpty()) {
                // Nothing restored (first start, or no usable file): proxies that come back with config keep
                // it until the registry has refilled from their streams.
                ResumeGate resumeGate = new ResumeGate(clock, scheduler, RESUME_QUIET, settings.grace(),
                        controller::registryChanged);
                opened.push(resumeGate);
                callbacks.add(0, resumeGate);
                held = resumeGate::holds;
            }
            // New proxies get a snapshot from the latest translation at once; re-translation follows.
            TranslatedMesh first = controller.translate(registry.state());
            SnapshotWarmUp.start(first);
            SnapshotPublisher publisher = new SnapshotPublisher(cache, registry, first::snapshotFor, held);
            opened.push(publisher);
            MeshCa ca = new MeshCa(join(root), clock, random);
            HostPort xdsListen = settings.xdsListen();
            XdsServer xds = XdsServer.start(xdsListen.toSocketAddress(), cache, callbacks,
                    List.of(new CertificateService(ca)));
            opened.push(xds);
            String xdsAddress = xdsListen.host() + ":" + xds.port();
            ControllerStatus.MeshCa caStatus = new ControllerStatus.MeshCa(ca.trustDomain(),
                    ca.root().fingerprint(), ca.root().notAfter());
            controller.attach(new MeshController.MeshPublisher() {
                @Override
                public void publish(TranslatedMesh mesh) {
                    publisher.publishAll(mesh::snapshotFor);
                }

                @Override
                public RegistryState registry() {
                    return registry.state();
                }

                @Override
                public List<ProxyStatus> proxies() {
                    return tracker.statuses();
                }

                @Override
                public String xdsAddress() {
                    return xdsAddress;
                }

                @Override
                public Optional<ControllerStatus.MeshCa> ca() {
                    return Optional.of(caStatus);
                }
            });

            ApiServer api = null;
            if (settings.apiListen().isPresent()) {
                api = ApiServer.start(controller, settings.apiListen().get(), settings.insecureApi());
                opened.push(api);
            }
            return new ControllerServer(opened, controller, xds, api, ca);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Waits until the root CA is made or has failed; what it failed of is for {@link #join} to report. */
    private static void awaitQuietly(FutureTask<RootCa> root) {
        try {
            root.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by join, or the start failed before it asked
        }
    }

    private static RootCa join(FutureTask<RootCa> root) throws IOException {
        try {
            return root.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading the root CA", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("loading the root CA", e.getCause());
        }
    }

    private static void applyStartupConfig(MeshController controller, Path config) {
        List<SourceFile> files = SourceFiles.read(List.of(config.toString()), InputStream.nullInputStream());
        ApplyResult result = controller.apply(files, false, true);
        if (!result.valid()) {
            throw new IllegalArgumentException("--config " + config + " is not valid; nothing was applied:\n"
                    + result.errors().stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        }
    }

    /** The mesh CA, served on the xDS port as Istio's {@code IstioCertificateService}. */
    public MeshCa ca() {
        return ca;
    }

    /** The controller as the console and the CLI talk to it. */
    public ControlPlane controlPlane() {
        return controller;
    }

    /** The xDS server's bound port. */
    public int xdsPort() {
        return xds.port();
    }

    /** The API server's bound address, {@code host:port}, if it serves one over TCP. */
    public Optional<String> apiAddress() {
        return Optional.ofNullable(api).map(ApiServer::address);
    }

    /** The xDS server's address, {@code host:port} with the port actually bound. */
    public String xdsAddress() {
        return controller.status().xdsAddress();
    }

    /** How many clients follow the API's event stream (0 without an API server). */
    public int openEventStreams() {
        return api == null ? 0 : api.openEventStreams();
    }

    public int revision() {
        return controller.currentRevision();
    }

    @Override
    public void close() {
        closeAll(toClose, null);
    }

    private static void closeAll(Deque<AutoCloseable> opened, Throwable primary) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else {
                    java.util.logging.Logger.getLogger(ControllerServer.class.getName())
                            .log(java.util.logging.Level.WARNING, "closing the controller", e);
                }
            }
        }
    }
}
