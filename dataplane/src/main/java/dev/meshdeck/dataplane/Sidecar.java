package dev.meshdeck.dataplane;

import dev.meshdeck.dataplane.admin.AdminServer;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.proxy.SidecarProxy;
import dev.meshdeck.dataplane.route.DefaultRouter;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.CaClient;
import dev.meshdeck.dataplane.tls.CertificateRotator;
import dev.meshdeck.dataplane.tls.SecretStore;
import dev.meshdeck.dataplane.tls.SpiffeId;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.xds.AdsClient;
import dev.meshdeck.dataplane.xds.NodeIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One sidecar beside one app: the proxy, programmed by the controller over ADS, and its admin endpoint.
 * It binds its outbound and inbound ports first (port 0: an ephemeral one) and holds them, not accepting yet,
 * so that it can tell the controller ports it really owns; the listeners the controller then sends name those
 * ports and adopt the held sockets, serving the clients that connected in the meantime.
 */
public final class Sidecar implements AutoCloseable {
    /**
     * How to run a sidecar.
     *
     * @param service      the service the app serves
     * @param version      the app's version (the {@code version} label)
     * @param namespace    the service's namespace
     * @param appPort      the app's port on 127.0.0.1 (0: a client-only app, no inbound listener)
     * @param controller   the controller's xDS address, {@code host:port}
     * @param address      the address other sidecars reach this one's inbound listener on
     * @param outboundPort the outbound listener's port (0: any free port)
     * @param inboundPort  the inbound listener's port (0: any free port)
     * @param adminPort    the admin endpoint's port on 127.0.0.1 (0: any free port)
     * @param labels       more workload labels
     * @param concurrency  the proxy's event loop threads (default: {@link #defaultConcurrency()})
     * @param serviceAccount the workload's service account, its SPIFFE identity (null: the service name)
     * @param trustDomain  the SPIFFE trust domain of its certificate (null: {@code cluster.local})
     * @param drainTime    how long a stop ({@code /quitquitquit}, SIGTERM) lets client connections finish what is in
     *                     flight before it cuts them (null: {@link #DEFAULT_DRAIN_TIME}; zero: no drain)
     */
    public record Settings(String service, String version, String namespace, int appPort, String controller,
                           String address, int outboundPort, int inboundPort, int adminPort, Map<String, String> labels,
                           int concurrency, String serviceAccount, String trustDomain, Duration drainTime) {
        /** Istio's default sidecar concurrency. */
        public static final int DEFAULT_CONCURRENCY = 2;
        /** Istio's default {@code terminationDrainDuration}. */
        public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(5);

        /**
         * Istio's default, 2, or fewer when this process may use fewer CPUs (its affinity or its cgroup's CPU
         * limit, as the JVM counts them): Istio sizes a sidecar's concurrency from its CPU limit, and a second
         * event loop on one CPU only adds wake-ups and context switches.
         */
        public static int defaultConcurrency() {
            return Math.min(DEFAULT_CONCURRENCY, Runtime.getRuntime().availableProcessors());
        }

        /** Settings with the default concurrency. */
        public Settings(String service, String version, String namespace, int appPort, String controller,
                        String address, int outboundPort, int inboundPort, int adminPort, Map<String, String> labels) {
            this(service, version, namespace, appPort, controller, address, outboundPort, inboundPort, adminPort, labels,
                    defaultConcurrency());
        }

        /** Settings with the default service account (the service's name) and trust domain. */
        public Settings(String service, String version, String namespace, int appPort, String controller,
                        String address, int outboundPort, int inboundPort, int adminPort, Map<String, String> labels,
                        int concurrency) {
            this(service, version, namespace, appPort, controller, address, outboundPort, inboundPort, adminPort, labels,
                    concurrency, null, null, null);
        }

        public Settings {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(controller, "controller");
            namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
            address = address == null || address.isEmpty() ? "127.0.0.1" : address;
            labels = Map.copyOf(labels == null ? Map.of() : labels);
            serviceAccount = serviceAccount == null || serviceAccount.isEmpty() ? service : serviceAccount;
            trustDomain = trustDomain == null || trustDomain.isEmpty() ? SpiffeId.DEFAULT_TRUST_DOMAIN : trustDomain;
            new SpiffeId(trustDomain, namespace, serviceAccount); // fails early on names SPIFFE does not allow
            drainTime = drainTime == null ? DEFAULT_DRAIN_TIME : drainTime;
            if (drainTime.isNegative()) {
                throw new IllegalArgumentException("drain time " + drainTime + " (expected: 0s or more)");
            }
            if (concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: 1..64)");
            }
            for (int p : new int[] {appPort, outboundPort, inboundPort, adminPort}) {
                if (p < 0 || p > 65535) {
                    throw new IllegalArgumentException("port " + p + " (expected: 0..65535)");
                }
            }
        }
    }

    private final Settings settings;
    private final NodeIdentity identity;
    private final SidecarProxy proxy;
    private final AdsClient ads;
    private final AdminServer admin;
    private final Stats stats;
    private final SecretStore secrets;
    private final CertificateRotator rotator;
    private final ScheduledExecutorService certThread;
    private final CountDownLatch drained = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean ready;

    private Sidecar(Settings settings, NodeIdentity identity, SidecarProxy proxy, AdsClient ads, AdminServer admin,
                    Stats stats, SecretStore secrets, CertificateRotator rotator, ScheduledExecutorService certThread) {
        this.secrets = secrets;
        this.rotator = rotator;
        this.certThread = certThread;
        this.settings = settings;
        this.identity = identity;
        this.proxy = proxy;
        this.ads = ads;
        this.admin = admin;
        this.stats = stats;
    }

    /** Starts the sidecar and connects to the controller; it serves once the first config arrives. */
    public static Sidecar start(Settings settings) throws IOException {
        Stats stats = new Stats();
        Random random = new Random();
        SecretStore secrets = new SecretStore();
        SidecarProxy proxy = new SidecarProxy(new DefaultRouter(random),
                (cluster, scheduler) -> LoadBalancers.create(cluster,
                        new LoadBalancers.Environment(random, Clock.systemUTC(), scheduler, stats)),
                ProxyOptions.DEFAULTS.withIoThreads(settings.concurrency()), stats, random, new TlsContexts(secrets));
        int outbound = hold(proxy, "outbound", "127.0.0.1", settings.outboundPort());
        int inbound = settings.appPort() == 0 ? 0 : hold(proxy, "inbound", settings.address(), settings.inboundPort());
        Map<String, String> labels = new TreeMap<>(settings.labels());
        labels.put("app", settings.service());
        labels.put("version", settings.version());
        String id = "sidecar~" + settings.address() + "~" + settings.service() + "-" + settings.version() + "-"
                + HexFormat.of().formatHex(new byte[] {(byte) RANDOM.nextInt(), (byte) RANDOM.nextInt()})
                + "." + settings.namespace();
        NodeIdentity identity = new NodeIdentity(id, settings.service(), settings.namespace(), labels,
                settings.address(), inbound, outbound, settings.appPort(), settings.serviceAccount());

        Sidecar[] self = new Sidecar[1];
        AdsClient ads = AdsClient.forTarget(settings.controller(), identity, config -> self[0].apply(config));
        ScheduledExecutorService certThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshdeck-workload-certificate");
            t.setDaemon(true);
            return t;
        });
        CertificateRotator rotator = new CertificateRotator(
                new SpiffeId(settings.trustDomain(), settings.namespace(), settings.serviceAccount()),
                new CaClient(ads.channel(), CA_DEADLINE), secrets, CertificateRotator.DEFAULT_VALIDITY, certThread,
                Clock.systemUTC(), random);
        AdminServer admin;
        try {
            admin = AdminServer.start(new InetSocketAddress("127.0.0.1", settings.adminPort()),
                    new AdminServer.Handlers(() -> self[0].state(), ads::configDumpJson, proxy::clusterStatuses, stats,
                            () -> self[0].drain(), secrets::current));
        } catch (IOException e) {
            certThread.shutdownNow();
            ads.close();
            proxy.close();
            throw new IOException("cannot serve the admin endpoint on 127.0.0.1:" + settings.adminPort() + ": "
                    + e.getMessage(), e);
        }
        self[0] = new Sidecar(settings, identity, proxy, ads, admin, stats, secrets, rotator, certThread);
        ads.start();
        return self[0];
    }

    /** Holds the port of the listener {@code name} (its real port, for port 0); the proxy is closed if it cannot. */
    private static int hold(SidecarProxy proxy, String name, String ip, int port) throws IOException {
        try {
            return proxy.hold(ip, port).getPort();
        } catch (UncheckedIOException e) {
            proxy.close();
            Throwable bind = e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
            throw new IOException("cannot listen on " + ip + ":" + port + " for the " + name + " listener: "
                    + bind.getMessage(), e.getCause());
        }
    }

    private static final Random RANDOM = new Random();
    /**
     * How long a sidecar that said goodbye keeps its listeners open at least (or its drain time, when shorter): the
     * controller lets it go 100 ms after the goodbye and pushes the other sidecars' endpoints; on one host that
     * takes milliseconds.
     */
    static final Duration GOODBYE_SETTLE = Duration.ofSeconds(1);
    private static final Duration CA_DEADLINE = Duration.ofSeconds(10);

    /**
     * Puts {@code config} in place; throws (and the ADS client NACKs) when it cannot, keeping the last one.
     * The first config that uses the workload identity (SDS {@code default} / {@code ROOTCA}) starts the
     * certificate rotator: a sidecar whose mesh has no mTLS never asks the CA.
     */
    private void apply(ProxyConfig config) {
        proxy.update(config);
        if (needsWorkloadCertificate(config)) {
            rotator.start();
        }
        ready = true;
    }

    /** Whether a cluster or listener of {@code config} names the workload's certificate or trust bundle. */
    static boolean needsWorkloadCertificate(ProxyConfig config) {
        return config.clusters().values().stream().anyMatch(c -> c.tls() != null && c.tls().usesWorkloadIdentity())
                || config.listeners().values().stream().anyMatch(l -> l.tls() != null && l.tls().usesWorkloadIdentity());
    }

    public NodeIdentity identity() {
        return identity;
    }

    /**
     * Whether the first config is in place and, if it uses the workload identity, the first certificate
     * too ({@code /ready}).
     */
    public boolean ready() {
        return ready && (secrets.current().isPresent() || !needsWorkloadCertificate(proxy.config()));
    }

    /** What {@code /ready} says: draining once a stop has begun, else live when {@link #ready()}. */
    public AdminServer.State state() {
        if (draining.get()) {
            return AdminServer.State.DRAINING;
        }
        return ready() ? AdminServer.State.LIVE : AdminServer.State.PRE_INITIALIZING;
    }

    /** The CA-issued identity (SDS {@code default} and {@code ROOTCA}). */
    public SecretStore secrets() {
        return secrets;
    }

    /** Renews the workload certificate (it renews itself at half its lifetime). */
    public CertificateRotator certificates() {
        return rotator;
    }

    public int outboundPort() {
        return identity.outboundPort();
    }

    /** The inbound port, 0 for a sidecar without an app. */
    public int inboundPort() {
        return identity.inboundPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public Stats stats() {
        return stats;
    }

    public SidecarProxy proxy() {
        return proxy;
    }

    public AdsClient ads() {
        return ads;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether it has stopped ({@link #stop()}, {@code /quitquitquit} or {@link #close()}). */
    public boolean drainedNow() {
        return drained.getCount() == 0;
    }

    /** Waits until it has stopped ({@link #stop()}, {@code /quitquitquit} or {@link #close()}). */
    public void awaitDrained() throws InterruptedException {
        drained.await();
    }

    private void drain() {
        Thread t = new Thread(this::stop, "meshdeck-drain");
        t.setDaemon(false);
        t.start();
    }

    /**
     * Stops gracefully ({@code /quitquitquit}, SIGTERM), as Istio stops a sidecar: {@code /ready} answers
     * {@code DRAINING}; the sidecar says goodbye to the controller ({@link AdsClient#leave}), which takes its
     * endpoints from the other sidecars at once; client connections finish what is in flight and close (see
     * {@link SidecarProxy#drain}) for up to the {@linkplain Settings#drainTime drain time}, the listeners staying open
     * for at least {@link #GOODBYE_SETTLE} after a goodbye (the drain time if shorter), while the others hear of it;
     * then the sidecar {@linkplain #close closes}. It keeps its last config meanwhile. A second call while one runs
     * returns at once.
     */
    public void stop() {
        if (!draining.compareAndSet(false, true) || closed.get()) {
            return;
        }
        try {
            // First the goodbye, so that the controller takes this sidecar's endpoints from the others now.
            boolean saidGoodbye = ads.connected();
            var left = ads.leave();
            long start = System.nanoTime();
            long deadline = start + settings.drainTime().toNanos();
            proxy.drain(settings.drainTime());
            if (saidGoodbye) {
                // The others hear of the goodbye with their next EDS update; until then they may still connect, and
                // are served (a connection each, closed after its request).
                long settled = start + Math.min(GOODBYE_SETTLE.toNanos(), settings.drainTime().toNanos());
                long wait = settled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                proxy.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            left.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The controller did not end the stream in time: close() cancels it, and it gets its grace period.
        } finally {
            close();
        }
    }

    /** Stops taking config and traffic at once; requests in flight are cut ({@link #stop} drains first). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            rotator.close();
            certThread.shutdownNow();
            ads.close();
        } finally {
            try {
                proxy.close();
            } finally {
                admin.close();
                drained.countDown();
            }
        }
    }
}
