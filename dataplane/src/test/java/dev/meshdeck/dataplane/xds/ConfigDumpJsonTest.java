package dev.meshdeck.dataplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshdeck.dataplane.xds.internal.ConfigDumpJson;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /config_dump} as the sidecar prints it (its descriptor set, no Envoy class) against what the full Envoy
 * classes with protobuf-java-util's {@code JsonFormat} print ({@link ReferenceConfigDump}): the same text.
 */
class ConfigDumpJsonTest {
    private static final Map<String, String> VERSIONS = Map.of("LDS", "l7", "RDS", "r3", "CDS", "c2", "EDS", "e9");

    @ParameterizedTest
    @ValueSource(strings = {"bookinfo-all-v1-mtls-inbound-permissive.json", "bookinfo-all-v1-mtls.json",
        "bookinfo-ratings-test-abort.json", "bookinfo-reviews-80-20.json",
        "destination-rule-least-request-pool-outlier.json", "service-entry-and-workload-entries.json"})
    void printsEveryGoldenStateAsTheFullEnvoyClassesDo(String file) {
        XdsResources state = GoldenXds.load(file);

        assertThat(ConfigDumpJson.render(state, VERSIONS)).isEqualTo(ReferenceConfigDump.render(state, VERSIONS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dynamic_listeners", "dynamic_route_configs", "dynamic_active_clusters",
        "dynamic_endpoint_configs"})
    void printsTheEntriesOfOneResourceFieldEachAsAConfigAsEnvoysResourceQueryDoes(String resource) {
        XdsResources state = GoldenXds.load("bookinfo-all-v1-mtls.json");
        ConfigDumpQuery query = new ConfigDumpQuery(Optional.of(resource), Optional.empty());

        String json = ConfigDumpJson.render(state, VERSIONS, query);

        assertThat(json).isEqualTo(ReferenceConfigDump.render(state, VERSIONS, resource)).contains("\"@type\": \"type.googleapis.com/envoy.admin.v3.");
    }

    @Test
    void keepsOnlyTheResourcesWhoseNameTheRegexMatchesWhole() {
        XdsResources state = GoldenXds.load("bookinfo-all-v1-mtls.json");
        Pattern reviews = Pattern.compile(".*\\|reviews\\..*");
        XdsResources onlyReviews = new XdsResources(only(state.listeners(), reviews), only(state.routes(), reviews),
                only(state.clusters(), reviews), only(state.endpoints(), reviews));
        assertThat(onlyReviews.clusters()).isNotEmpty().hasSizeLessThan(state.clusters().size());

        assertThat(ConfigDumpJson.render(state, VERSIONS, new ConfigDumpQuery(Optional.empty(), Optional.of(reviews))))
                .isEqualTo(ReferenceConfigDump.render(onlyReviews, VERSIONS));
        assertThat(ConfigDumpJson.render(state, VERSIONS, new ConfigDumpQuery(Optional.of("dynamic_active_clusters"),
                Optional.of(reviews)))).isEqualTo(ReferenceConfigDump.render(onlyReviews, VERSIONS, "dynamic_active_clusters"));
    }

    private static <V> Map<String, V> only(Map<String, V> byName, Pattern names) {
        Map<String, V> out = new java.util.LinkedHashMap<>();
        byName.forEach((name, v) -> {
            if (names.matcher(name).matches()) {
                out.put(name, v);
            }
        });
        return out;
    }

    @Test
    void printsFieldsTheLiteClassesKeepOnlyAsUnknownBytes() {
        Cluster full = XdsFixtures.edsCluster(XdsFixtures.V1).toBuilder()
                .setAltStatName("reviews-v1-stats")
                .setMetadata(Metadata.newBuilder().putFilterMetadata("istio", Struct.newBuilder()
                        .putFields("config", Value.newBuilder().setStringValue("/apis/v1/reviews").build()).build()))
                .build();
        XdsResources state = Lite.state(List.of(), List.of(), List.of(full), List.of());

        assertThat(Lite.cluster(full).toByteString()).isEqualTo(full.toByteString());
        assertThat(ConfigDumpJson.render(state, VERSIONS))
                .contains("\"alt_stat_name\": \"reviews-v1-stats\"", "\"config\": \"/apis/v1/reviews\"")
                .isEqualTo(ReferenceConfigDump.render(state, VERSIONS));
    }

    @Test
    void printsOnlyTheNameOfAResourceHoldingAnAnyOfAnUnknownType() {
        // (a ClusterLoadAssignment has no name field: nothing of it is printed but its type)
        Listener magic = Listener.newBuilder().setName("magic").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("acme.magic").setTypedConfig(Any.newBuilder()
                        .setTypeUrl("type.googleapis.com/acme.Magic").setValue(ByteString.copyFromUtf8("x")))))
                .build();
        ClusterLoadAssignment endpoints = XdsFixtures.assignment(XdsFixtures.V1, "127.0.0.1", 9080).toBuilder()
                .setEndpoints(0, XdsFixtures.assignment(XdsFixtures.V1, "127.0.0.1", 9080).getEndpoints(0).toBuilder()
                        .setLbEndpoints(0, XdsFixtures.endpoint("127.0.0.1", 9080, 1).toBuilder()
                                .setMetadata(Metadata.newBuilder().putTypedFilterMetadata("acme", Any.newBuilder()
                                        .setTypeUrl("type.googleapis.com/acme.Magic").build()))))
                .build();
        XdsResources state = Lite.state(List.of(magic, XdsFixtures.outboundListener()), List.of(), List.of(),
                List.of(endpoints));

        String json = ConfigDumpJson.render(state, VERSIONS);

        assertThat(json).doesNotContain("acme").contains("\"name\": \"magic\"", "envoy.filters.http.router")
                .doesNotContain("9080").isEqualTo(ReferenceConfigDump.render(state, VERSIONS));
    }

    @Test
    void dumpsALargeConfigInASidecarSizedHeapWithNoEnvoyClassOnTheClassPath(@TempDir Path dir) throws Exception {
        Large large = Large.of(GoldenXds.messages("bookinfo-all-v1-mtls.json"), 300);
        Path in = dir.resolve("resources.bin");
        Path out = dir.resolve("dump.json");
        large.write(in);

        // The sidecar's heap options (sidecar-runtime.conf) with a 32 MB maximum, an eighth of its own: a dump must
        // fit in the heap a sidecar's steady state uses, 12 MB of it held as a loaded sidecar's live set.
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms16m", "-Xmx32m", "-Xmn6m", "-XX:+UseSerialGC", "-Xss512k",
                "-cp", String.join(java.io.File.pathSeparator, sidecarClassPath()),
                ConfigDumpProbe.class.getName(), in.toString(), "12", "3", out.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the dump process ended").isTrue();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readString(out)).isEqualTo(ReferenceConfigDump.render(large.state(), large.versions()));
    }

    /** The dataplane's classes and tests, and the protobuf runtime: no Envoy API jar. */
    private static List<String> sidecarClassPath() throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(Path.of(ConfigDumpJson.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        cp.add(Path.of(ConfigDumpProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        cp.add(Path.of(Message.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        assertThat(cp).noneMatch(e -> e.contains("envoyproxy"));
        return cp;
    }

    /** The golden resources copied {@code n} / (golden count) times over: n clusters, n virtual hosts. */
    private record Large(List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
                         List<ClusterLoadAssignment> endpoints) {
        static Large of(List<Message> golden, int n) {
            List<Listener> listeners = new ArrayList<>();
            List<VirtualHost> hosts = new ArrayList<>();
            List<Cluster> goldenClusters = new ArrayList<>();
            List<ClusterLoadAssignment> goldenEndpoints = new ArrayList<>();
            RouteConfiguration.Builder outbound = RouteConfiguration.newBuilder().setName("outbound");
            for (Message m : golden) {
                switch (m) {
                    case Listener l -> listeners.add(l);
                    case RouteConfiguration rc -> hosts.addAll(rc.getVirtualHostsList());
                    case Cluster c -> goldenClusters.add(c);
                    case ClusterLoadAssignment e -> goldenEndpoints.add(e);
                    default -> throw new IllegalArgumentException(m.getDescriptorForType().getFullName());
                }
            }
            List<Cluster> clusters = new ArrayList<>();
            List<ClusterLoadAssignment> endpoints = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Cluster c = goldenClusters.get(i % goldenClusters.size());
                clusters.add(c.toBuilder().setName(c.getName() + "-" + i).build());
                ClusterLoadAssignment e = goldenEndpoints.get(i % goldenEndpoints.size());
                endpoints.add(e.toBuilder().setClusterName(e.getClusterName() + "-" + i).build());
                VirtualHost h = hosts.get(i % hosts.size());
                outbound.addVirtualHosts(h.toBuilder().setName(h.getName() + "-" + i));
            }
            return new Large(listeners, List.of(outbound.build()), clusters, endpoints);
        }

        XdsResources state() {
            return Lite.state(listeners, routes, clusters, endpoints);
        }

        Map<String, String> versions() {
            return Map.of("LDS", "l1", "RDS", "r1", "CDS", "c1", "EDS", "e1");
        }

        /** One delimited {@code DiscoveryResponse} per type, as a sidecar would receive them. */
        void write(Path file) throws IOException {
            try (OutputStream out = Files.newOutputStream(file)) {
                response(XdsType.LDS, "l1", listeners).writeDelimitedTo(out);
                response(XdsType.RDS, "r1", routes).writeDelimitedTo(out);
                response(XdsType.CDS, "c1", clusters).writeDelimitedTo(out);
                response(XdsType.EDS, "e1", endpoints).writeDelimitedTo(out);
            }
        }

        private static DiscoveryResponse response(XdsType type, String version, List<? extends Message> resources) {
            DiscoveryResponse.Builder b = DiscoveryResponse.newBuilder().setTypeUrl(type.typeUrl())
                    .setVersionInfo(version);
            resources.forEach(r -> b.addResources(Any.pack(r)));
            return b.build();
        }
    }
}
