package dev.meshdeck.console.demo;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.translate.InboundTls;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.dataplane.Sidecar;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The demo mesh, all on loopback in this JVM: an embedded controller, the Bookinfo workloads each behind
 * its own real sidecar, and a load generator behind a sidecar of its own calling productpage.
 */
public final class DemoMesh implements AutoCloseable {
    /** The config the demo starts with: Bookinfo's DestinationRules (subsets per version), no routing rules. */
    public static final List<String> INITIAL_CONFIG = List.of("destination-rule-all.yaml");

    /**
     * How to run the demo.
     *
     * @param workspace      the embedded controller's workspace
     * @param api            where to serve the API too (for {@code meshdeck apply} from another terminal), if anywhere
     * @param ratePerSecond  the load generator's rate (0: no load)
     */
    public record Settings(Path workspace, Optional<HostPort> api, double ratePerSecond) {
        public Settings {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(api, "api");
        }
    }

    /** A workload and its sidecar. */
    public record Workload(BookinfoService role, BookinfoApp app, Sidecar sidecar) {
    }

    private final Deque<AutoCloseable> opened;
    private final ControllerServer controller;
    private final Map<BookinfoService, Workload> workloads;
    private final Sidecar loadSidecar;
    private final LoadGenerator load;

    private DemoMesh(Deque<AutoCloseable> opened, ControllerServer controller, Map<BookinfoService, Workload> workloads,
                     Sidecar loadSidecar, LoadGenerator load) {
        this.opened = opened;
        this.controller = controller;
        this.workloads = workloads;
        this.loadSidecar = loadSidecar;
        this.load = load;
    }

    /** Starts everything; returns once every sidecar has its first config. */
    public static DemoMesh start(Settings settings) throws IOException {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            // Inbound listeners as in Istio's default PERMISSIVE mode: mutual TLS from sidecars whose
            // DestinationRules say ISTIO_MUTUAL, plain text from the others.
            ControllerServer controller = ControllerServer.start(new ControllerServer.Settings(Optional.empty(),
                    HostPort.parse("127.0.0.1:0"), settings.api(), settings.workspace(), false, Duration.ofSeconds(10),
                    MeshTranslator.DEFAULT_TRUST_DOMAIN, InboundTls.PERMISSIVE));
            opened.push(controller);
            ApplyResult initial = controller.controlPlane().apply(bundled(INITIAL_CONFIG), false, true);
            if (!initial.valid()) {
                throw new IllegalStateException("the demo's bundled config does not validate: " + initial.errors().stream()
                        .map(ConfigError::toString).collect(Collectors.joining("; ")));
            }
            String xds = "127.0.0.1:" + controller.xdsPort();

            Map<BookinfoService, Workload> workloads = new LinkedHashMap<>();
            for (BookinfoService role : BookinfoService.values()) {
                AtomicInteger outbound = new AtomicInteger();
                HttpClient client = HttpClient.newBuilder().proxy(new SidecarProxySelector(outbound::get))
                        .connectTimeout(Duration.ofSeconds(5)).build();
                BookinfoApp app = BookinfoApp.start(role, 0, service -> URI.create("http://" + service), client);
                opened.push(app);
                Sidecar sidecar = Sidecar.start(new Sidecar.Settings(role.service(), role.version(), "default",
                        app.port(), xds, "127.0.0.1", 0, 0, 0, Map.of()));
                opened.push(sidecar);
                outbound.set(sidecar.outboundPort());
                workloads.put(role, new Workload(role, app, sidecar));
            }
            Sidecar loadSidecar = Sidecar.start(new Sidecar.Settings("loadgen", "v1", "default", 0, xds, "127.0.0.1",
                    0, 0, 0, Map.of()));
            opened.push(loadSidecar);
            awaitReady(workloads.values().stream().map(Workload::sidecar).toList(), loadSidecar);
            LoadGenerator load = null;
            if (settings.ratePerSecond() > 0) {
                HttpClient client = HttpClient.newBuilder()
                        .proxy(new SidecarProxySelector(loadSidecar::outboundPort)).build();
                load = LoadGenerator.start(new LoadGenerator.Settings(URI.create("http://productpage/productpage"),
                        settings.ratePerSecond(), 256, 10), client);
                opened.push(load);
            }
            return new DemoMesh(opened, controller, workloads, loadSidecar, load);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void awaitReady(List<Sidecar> sidecars, Sidecar extra) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Sidecar> all = new ArrayList<>(sidecars);
        all.add(extra);
        while (!all.stream().allMatch(Sidecar::ready)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sidecars without config after 30 s: " + all.stream()
                        .filter(s -> !s.ready()).map(s -> s.identity().id()).toList());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the sidecars", e);
            }
        }
    }

    /** Reads bundled Istio Bookinfo files (unchanged copies of Istio's samples). */
    public static List<SourceFile> bundled(List<String> names) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = DemoMesh.class.getResourceAsStream("bookinfo/" + name)) {
                if (in == null) {
                    throw new IOException("no bundled demo config " + name);
                }
                files.add(new SourceFile("bookinfo/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return files;
    }

    public ControllerServer controller() {
        return controller;
    }

    public Map<BookinfoService, Workload> workloads() {
        return workloads;
    }

    /** The load generator's sidecar: a client-only workload {@code loadgen}. */
    public Sidecar loadSidecar() {
        return loadSidecar;
    }

    public Optional<LoadGenerator> load() {
        return Optional.ofNullable(load);
    }

    @Override
    public void close() {
        closeAll(opened);
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                System.getLogger(DemoMesh.class.getName()).log(System.Logger.Level.WARNING, "closing the demo", e);
            }
        }
    }
}
