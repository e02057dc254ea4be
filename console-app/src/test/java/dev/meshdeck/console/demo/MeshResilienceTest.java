package dev.meshdeck.console.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.dataplane.Sidecar;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.Route;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteAction;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.VirtualHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real sidecars under load while the config changes and while the controller goes away and comes back. */
@ExtendWith(LeakGuard.class)
class MeshResilienceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REVIEWS_V1 = "outbound|80|v1|reviews.default.svc.cluster.local";
    private static final String REVIEWS_V2 = "outbound|80|v2|reviews.default.svc.cluster.local";

    @TempDir
    Path tmp;

    private final List<AutoCloseable> opened = Collections.synchronizedList(new ArrayList<>());
    private ControllerServer controller;
    private Sidecar client;
    private HttpClient http;

    @AfterEach
    void closeAll() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            c.close();
        }
    }

    @Test
    void shiftingWeightsTenTimesUnderLoadFailsNoRequest() throws Exception {
        startMesh(0);
        Load load = startLoad();

        for (int i = 0; i < 10; i++) {
            int v1 = i % 2 == 0 ? 90 : 10;
            applyAndAwait(v1, 100 - v1);
        }
        await().atMost(WAIT).until(() -> load.done.get() >= 300);
        load.stop();

        assertThat(load.failures).as("failed requests").isEmpty();
        assertThat(load.done.get()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void stoppingTheControllerChangesNothingAndItsReturnResyncs() throws Exception {
        startMesh(0);
        int xdsPort = controller.xdsPort();
        applyAndAwait(100, 0);
        Load load = startLoad();

        controller.close();
        opened.remove(controller);
        int before = load.done.get();
        await().atMost(WAIT).until(() -> load.done.get() >= before + 200);
        assertThat(load.failures).as("failed requests while the controller is away").isEmpty();
        assertThat(load.v2.get()).isZero();

        startController(xdsPort);
        applyAndAwait(0, 100);
        int v2Before = load.v2.get();
        await().atMost(WAIT).until(() -> load.v2.get() >= v2Before + 50);
        load.stop();
        assertThat(load.failures).as("failed requests after the controller returned").isEmpty();
    }

    @Test
    void aSidecarThatStopsUnderLoadFailsNoRequest() throws Exception {
        startMesh(0);
        String xds = "127.0.0.1:" + controller.xdsPort();
        BookinfoApp secondApp = BookinfoApp.start(BookinfoService.REVIEWS_V1, 0, s -> URI.create("http://" + s),
                HttpClient.newHttpClient());
        opened.add(secondApp);
        Sidecar second = Sidecar.start(new Sidecar.Settings("reviews", "v1", "default", secondApp.port(), xds,
                "127.0.0.1", 0, 0, 0, Map.of()));
        opened.add(second);
        // No retries: a request the stop cut, or one sent to a listener already closed, would fail.
        applyAndAwait(split(100, 0) + "    retries: {attempts: 0}\n", 100, 0);
        await().atMost(WAIT).until(() -> reviewsV1Endpoints() == 2);
        Load load = startLoad();
        await().atMost(WAIT).until(() -> load.done.get() >= 100);

        // A stop as SIGTERM or /quitquitquit makes it: the goodbye, then the drain, while requests keep coming.
        second.stop();
        int after = load.done.get();
        await().atMost(WAIT).until(() -> load.done.get() >= after + 300);
        load.stop();

        assertThat(load.failures).as("failed requests while a reviews v1 sidecar stopped").isEmpty();
        assertThat(reviewsV1Endpoints()).isEqualTo(1);
        assertThat(second.drainedNow()).isTrue();
    }

    /** The endpoints of reviews v1 in the client sidecar's active config. */
    private int reviewsV1Endpoints() {
        return client.ads().config().map(c -> c.clusters().get(REVIEWS_V1)).map(c -> c.endpoints().size()).orElse(0);
    }

    private void startMesh(int xdsPort) throws Exception {
        startController(xdsPort);
        String xds = "127.0.0.1:" + controller.xdsPort();
        http = HttpClient.newBuilder().proxy(new SidecarProxySelector(() -> client.outboundPort())).build();
        for (BookinfoService role : List.of(BookinfoService.REVIEWS_V1, BookinfoService.REVIEWS_V2, BookinfoService.RATINGS)) {
            AtomicInteger outbound = new AtomicInteger();
            BookinfoApp app = BookinfoApp.start(role, 0, s -> URI.create("http://" + s),
                    HttpClient.newBuilder().proxy(new SidecarProxySelector(outbound::get)).build());
            opened.add(app);
            Sidecar sidecar = Sidecar.start(new Sidecar.Settings(role.service(), role.version(), "default", app.port(),
                    xds, "127.0.0.1", 0, 0, 0, Map.of()));
            opened.add(sidecar);
            outbound.set(sidecar.outboundPort());
        }
        client = Sidecar.start(new Sidecar.Settings("loadgen", "v1", "default", 0, xds, "127.0.0.1", 0, 0, 0, Map.of()));
        opened.add(client);
        await().atMost(WAIT).until(client::ready);
    }

    private void startController(int xdsPort) throws Exception {
        controller = ControllerServer.start(new ControllerServer.Settings(Optional.empty(),
                HostPort.parse("127.0.0.1:" + xdsPort), Optional.empty(), tmp.resolve("workspace"), false,
                Duration.ofSeconds(10)));
        opened.add(controller);
    }

    /**
     * Applies the Bookinfo DestinationRules and a reviews {@link #split}; waits until the client sidecar's
     * accepted routes carry its weights and it serves them: routes to a new subset cluster are accepted before
     * that cluster's endpoints arrive, and until they do the sidecar keeps serving its previous config (which a
     * controller stopped right then leaves in place). (Waiting for the RDS version merely to change is not enough: the
     * client's first routes are translated before it joined, so a re-translation changes them again, and a
     * wait that ends on that change lets the next apply repeat what the client has, which changes nothing.)
     */
    private void applyAndAwait(int v1, int v2) throws Exception {
        applyAndAwait(split(v1, v2), v1, v2);
    }

    private void applyAndAwait(String reviewsYaml, int v1, int v2) throws Exception {
        List<SourceFile> files = new ArrayList<>(DemoMesh.bundled(List.of("destination-rule-all.yaml")));
        files.add(new SourceFile("reviews.yaml", reviewsYaml));
        ApplyResult result = controller.controlPlane().apply(files, false, true);
        assertThat(result.errors()).isEmpty();
        Map<String, Integer> expected = new TreeMap<>();
        if (v1 > 0) {
            expected.put(REVIEWS_V1, v1);
        }
        if (v2 > 0) {
            expected.put(REVIEWS_V2, v2);
        }
        try {
            await().atMost(WAIT).until(() -> reviewsWeights().equals(expected) && servesWhatItAccepted());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the client sidecar did not get the reviews split " + expected + " within " + WAIT
                    + ": its routes have " + reviewsWeights() + ", versions " + client.ads().versions()
                    + ", warming " + client.ads().warming() + ", last NACK " + client.ads().lastNack().orElse("none")
                    + "; the controller reports " + controller.controlPlane().proxies().stream()
                    .filter(p -> p.service().equals("loadgen")).toList(), e);
        }
    }

    /** Whether the client sidecar's active config is the one it accepted last (nothing is warming). */
    private boolean servesWhatItAccepted() {
        return client.ads().warming().isEmpty()
                && client.ads().config().map(c -> c.versions().equals(client.ads().versions())).orElse(false);
    }

    /** The weight of each reviews cluster in the routes the client sidecar has accepted (100 for a lone cluster). */
    private Map<String, Integer> reviewsWeights() {
        Map<String, Integer> weights = new TreeMap<>();
        for (RouteConfiguration rc : client.ads().resources().routes().values()) {
            for (VirtualHost vh : rc.getVirtualHostsList()) {
                if (vh.getDomainsList().stream().noneMatch(d -> d.equals("reviews") || d.startsWith("reviews."))) {
                    continue;
                }
                for (Route r : vh.getRoutesList()) {
                    RouteAction a = r.getRoute();
                    if (a.hasWeightedClusters()) {
                        a.getWeightedClusters().getClustersList().forEach(cw -> weights.put(cw.getName(), cw.getWeight().getValue()));
                    } else if (!a.getCluster().isEmpty()) {
                        weights.put(a.getCluster(), 100);
                    }
                }
            }
        }
        return weights;
    }

    private static String split(int v1, int v2) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: %d
                    - destination: {host: reviews, subset: v2}
                      weight: %d
                """.formatted(v1, v2);
    }

    /** Sequential requests to reviews through the client sidecar, from one thread, until stopped. */
    private Load startLoad() {
        Load load = new Load();
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!load.stopped && System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://reviews/reviews/1"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        load.fail(r.statusCode() + " " + r.body());
                    } else if (r.body().startsWith("{\"service\":\"reviews\",\"version\":\"v2\"")) {
                        load.v2.incrementAndGet();
                    }
                } catch (Exception e) {
                    load.fail(e.toString());
                }
                load.done.incrementAndGet();
            }
        }, "test-load");
        t.start();
        opened.add(load::stop);
        load.thread = t;
        return load;
    }

    private static final class Load {
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger v2 = new AtomicInteger();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        volatile boolean stopped;
        Thread thread;

        void fail(String what) {
            failures.add(what);
            failed.incrementAndGet();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(15_000);
        }
    }
}
