package dev.meshdeck.controller.translate;

import static dev.meshdeck.controller.fixtures.MeshFixtures.dest;
import static dev.meshdeck.controller.fixtures.MeshFixtures.routeTo;
import static dev.meshdeck.controller.fixtures.MeshFixtures.rule;
import static dev.meshdeck.controller.fixtures.MeshFixtures.versions;
import static dev.meshdeck.controller.fixtures.MeshFixtures.virtualService;
import static dev.meshdeck.controller.fixtures.MeshFixtures.withMirror;
import static dev.meshdeck.controller.fixtures.MeshFixtures.withTimeoutAndRetries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.DestinationRule.ConnectionPool;
import dev.meshdeck.controller.config.DestinationRule.LoadBalancer;
import dev.meshdeck.controller.config.DestinationRule.TrafficPolicy;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.ServiceEntry;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.config.WorkloadEntry;
import dev.meshdeck.controller.fixtures.Bookinfo;
import dev.meshdeck.controller.fixtures.Fixtures;
import dev.meshdeck.controller.fixtures.MeshFixtures;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.RegistryState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each case translates a config and compares what one proxy is sent with
 * {@code src/test/resources/golden/<case>.json}. A case's config is either YAML fixture files read by
 * {@link dev.meshdeck.controller.config.load.ConfigLoader} (Istio's Bookinfo samples, unchanged) or
 * records built in code, for what no sample covers. Run with {@code -Dgolden.update=true} to rewrite the
 * files, then read the diff: it is what an Envoy would receive.
 */
class GoldenTranslationTest {
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", "."), "src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** One golden case: the config is a supplier so that cases read from YAML files fit the same harness. */
    record GoldenCase(String name, Supplier<MeshConfig> config, RegistryState registry, ProxyInfo proxy,
                      MeshTranslator translator) {
        GoldenCase(String name, Supplier<MeshConfig> config, RegistryState registry, ProxyInfo proxy) {
            this(name, config, registry, proxy, new MeshTranslator());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<GoldenCase> cases() {
        ProxyInfo client = Bookinfo.PRODUCTPAGE;
        RegistryState bookinfo = Bookinfo.registry();
        List<GoldenCase> cases = new ArrayList<>();
        cases.add(new GoldenCase("bookinfo-default-routes", () -> MeshConfig.EMPTY, bookinfo, client));
        // Istio's Bookinfo samples as written, each with destination-rule-all.yaml, as Istio's task pages apply them.
        cases.add(bookinfo("bookinfo-all-v1", client, "destination-rule-all.yaml", "virtual-service-all-v1.yaml"));
        cases.add(bookinfo("bookinfo-reviews-80-20", client,
                "destination-rule-all.yaml", "virtual-service-reviews-80-20.yaml"));
        cases.add(bookinfo("bookinfo-reviews-jason-v2-v3", client,
                "destination-rule-all.yaml", "virtual-service-reviews-jason-v2-v3.yaml"));
        cases.add(bookinfo("bookinfo-ratings-test-abort", client,
                "destination-rule-all.yaml", "virtual-service-ratings-test-abort.yaml"));
        cases.add(bookinfo("bookinfo-ratings-test-delay", client,
                "destination-rule-all.yaml", "virtual-service-ratings-test-delay.yaml"));
        cases.add(bookinfo("bookinfo-all-v1-mtls", client,
                "destination-rule-all-mtls.yaml", "virtual-service-all-v1.yaml"));
        // Istio's PERMISSIVE inbound listener: mutual TLS and plain text on one port, told apart by the TLS inspector.
        GoldenCase mtls = bookinfo("bookinfo-all-v1-mtls-inbound-permissive", Bookinfo.REVIEWS_V2,
                "destination-rule-all-mtls.yaml", "virtual-service-all-v1.yaml");
        cases.add(new GoldenCase(mtls.name(), mtls.config(), mtls.registry(), mtls.proxy(),
                new MeshTranslator(MeshTranslator.DEFAULT_TRUST_DOMAIN, InboundTls.PERMISSIVE)));
        // reviews v2 is the one that calls ratings: its own listeners and inbound side, the same outbound routes.
        cases.add(bookinfo("bookinfo-ratings-test-abort-reviews-v2", Bookinfo.REVIEWS_V2,
                "destination-rule-all.yaml", "virtual-service-ratings-test-abort.yaml"));
        cases.add(new GoldenCase("retries-and-timeout", () -> config(
                reviewsSubsets(),
                virtualService("reviews", List.of("reviews"),
                        withTimeoutAndRetries(routeTo(dest("reviews", "v2", null)), Duration.ofMillis(500), null)),
                virtualService("ratings", List.of("ratings"),
                        withTimeoutAndRetries(routeTo(dest("ratings", null, null)), Duration.ofSeconds(10),
                                new VirtualService.Retries(3, Duration.ofSeconds(2), "gateway-error,connect-failure,503")))),
                bookinfo, client));
        cases.add(new GoldenCase("mirror-v1-to-v2", () -> config(
                reviewsSubsets(),
                virtualService("reviews", List.of("reviews"),
                        withMirror(routeTo(dest("reviews", "v1", 100)), "reviews", "v2", 12.5))), bookinfo, client));
        cases.add(new GoldenCase("destination-rule-least-request-pool-outlier", () -> config(
                rule("reviews", "reviews", new TrafficPolicy(
                                new LoadBalancer(LoadBalancer.Simple.LEAST_REQUEST, null),
                                new ConnectionPool(new ConnectionPool.Tcp(100, Duration.ofMillis(30)),
                                        new ConnectionPool.Http(1, 100, 1, 3, Duration.ofSeconds(60), null)),
                                new DestinationRule.OutlierDetection(1, null, Duration.ofSeconds(1),
                                        Duration.ofMinutes(3), 100, null),
                                null),
                        MeshFixtures.subset("v1", Map.of("version", "v1")),
                        new DestinationRule.Subset("v2", Map.of("version", "v2"),
                                MeshFixtures.lb(LoadBalancer.Simple.RANDOM)))), bookinfo, client));
        // Istio's warm-up as Envoy's slow start: the rule's alone (round robin, the default) and a subset's own.
        cases.add(new GoldenCase("destination-rule-warmup", () -> config(
                rule("reviews", "reviews", new TrafficPolicy(new LoadBalancer(null, null,
                                new DestinationRule.Warmup(Duration.ofSeconds(90), 25, 2.0)), null, null, null),
                        MeshFixtures.subset("v1", Map.of("version", "v1")),
                        new DestinationRule.Subset("v2", Map.of("version", "v2"), new TrafficPolicy(
                                new LoadBalancer(LoadBalancer.Simple.LEAST_REQUEST, null,
                                        DestinationRule.Warmup.of(Duration.ofSeconds(60))), null, null, null)))),
                bookinfo, client));
        cases.add(new GoldenCase("consistent-hash-on-header", () -> config(
                rule("ratings", "ratings", new TrafficPolicy(new LoadBalancer(null,
                        new DestinationRule.ConsistentHash("x-user", null, false, null, 2048L, false)),
                        null, null, null))), bookinfo, client));
        cases.add(new GoldenCase("service-entry-and-workload-entries", GoldenTranslationTest::serviceEntries, bookinfo,
                client));
        cases.add(new GoldenCase("proxyless-grpc-client", () -> config(
                reviewsSubsets(),
                virtualService("reviews", List.of("reviews"),
                        routeTo(dest("reviews", "v1", 80), dest("reviews", "v2", 20))),
                rule("ratings", "ratings", new TrafficPolicy(new LoadBalancer(null,
                        new DestinationRule.ConsistentHash("x-user", null, false, null, null, true)), null, null,
                        new DestinationRule.Tls(DestinationRule.Tls.Mode.ISTIO_MUTUAL, null, null, null, null, null,
                                false)))), bookinfo, MeshFixtures.grpcClient("loadgen", "default")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesAsTheGoldenFileSays(GoldenCase c) throws IOException {
        TranslatedMesh mesh = c.translator().translate(c.config().get(), c.registry());
        String actual = GoldenJson.render(c.proxy(), mesh);
        Path file = GOLDEN.resolve(c.name() + ".json");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file (run with -Dgolden.update=true to write it)").exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A case whose config is Bookinfo sample files, read from {@code fixtures/istio-bookinfo/} by the loader. */
    private static GoldenCase bookinfo(String name, ProxyInfo proxy, String... files) {
        String[] paths = Arrays.stream(files).map(f -> Fixtures.BOOKINFO + "/" + f).toArray(String[]::new);
        return new GoldenCase(name, () -> Fixtures.meshConfig(paths), Bookinfo.registry(), proxy);
    }

    private static MeshConfig config(MeshResource... resources) {
        return new MeshConfig(List.of(resources));
    }

    private static DestinationRule reviewsSubsets() {
        return rule("reviews", "reviews", null, versions(3));
    }

    /**
     * An external API resolved by DNS, and a legacy service on two VMs (WorkloadEntries picked by the
     * ServiceEntry's selector; a third in another namespace is not), with subsets by version.
     */
    private static MeshConfig serviceEntries() {
        ServiceEntry httpbin = MeshFixtures.serviceEntry("httpbin-ext", List.of("httpbin.org"),
                List.of(new ServiceEntry.Port(80, "HTTP", "http", null)), ServiceEntry.Location.MESH_EXTERNAL,
                ServiceEntry.Resolution.DNS, List.of(), Map.of());
        ServiceEntry legacy = MeshFixtures.serviceEntry("legacy", List.of("legacy.corp.internal"),
                List.of(new ServiceEntry.Port(8080, "HTTP", "http", 9080)), ServiceEntry.Location.MESH_INTERNAL,
                ServiceEntry.Resolution.STATIC, List.of(), Map.of("app", "legacy"));
        WorkloadEntry vm1 = MeshFixtures.workloadEntry("legacy-vm-1", "default", new WorkloadEntry.Spec("10.1.0.5",
                Map.of(), Map.of("app", "legacy", "version", "v1"), null, null, null, "legacy"));
        WorkloadEntry vm2 = MeshFixtures.workloadEntry("legacy-vm-2", "default", new WorkloadEntry.Spec("10.1.0.6",
                Map.of("http", 9081), Map.of("app", "legacy", "version", "v2"), null, null, 3, "legacy"));
        WorkloadEntry elsewhere = MeshFixtures.workloadEntry("legacy-vm-3", "other", new WorkloadEntry.Spec(
                "10.1.0.7", Map.of(), Map.of("app", "legacy", "version", "v1"), null, null, null, "legacy"));
        return config(httpbin, legacy, vm1, vm2, elsewhere, rule("legacy", "legacy.corp.internal", null, versions(2)));
    }
}
