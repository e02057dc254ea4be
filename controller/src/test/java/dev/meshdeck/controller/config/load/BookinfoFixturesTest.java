package dev.meshdeck.controller.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.Percent;
import dev.meshdeck.controller.config.StringMatch;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.config.VirtualService.HttpRoute;
import dev.meshdeck.controller.config.VirtualService.RouteDestination;
import dev.meshdeck.controller.fixtures.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's Bookinfo networking samples load unchanged and mean what they mean in Istio. Every test runs on
 * the copies in {@code fixtures/istio-bookinfo} and, when present, on the shared originals.
 */
class BookinfoFixturesTest {
    private final ConfigLoader loader = new ConfigLoader();

    static Stream<Path> bookinfoDirectories() {
        return Stream.concat(Stream.of(Fixtures.path("istio-bookinfo")), Fixtures.sharedBookinfo().stream());
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void everyBookinfoFileLoadsWithoutErrors(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSize(7);
        for (Path file : files) {
            LoadResult result = loader.load(file);
            assertThat(result.errors()).as(file.toString()).isEmpty();
            assertThat(result.documents()).as(file.toString()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void ratingsTestAbortAbortsJasonsRequestsWith500AndSendsTheRestToV1(Path dir) {
        VirtualService vs = only(dir, "virtual-service-ratings-test-abort.yaml", VirtualService.class);

        assertThat(vs.metadata().name()).isEqualTo("ratings");
        assertThat(vs.metadata().namespace()).isEqualTo("default");
        assertThat(vs.hosts()).containsExactly("ratings");
        assertThat(vs.http()).hasSize(2);
        HttpRoute jason = vs.http().get(0);
        assertThat(jason.match()).hasSize(1);
        assertThat(jason.match().getFirst().headers()).isEqualTo(Map.of("end-user", StringMatch.exact("jason")));
        assertThat(jason.fault().delay()).isNull();
        assertThat(jason.fault().abort()).isEqualTo(new VirtualService.Fault.Abort(500, null, new Percent(100)));
        assertThat(jason.route()).containsExactly(RouteDestination.of("ratings", "v1", null));
        HttpRoute rest = vs.http().get(1);
        assertThat(rest.match()).isEmpty();
        assertThat(rest.fault()).isNull();
        assertThat(rest.route()).containsExactly(RouteDestination.of("ratings", "v1", null));
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void ratingsTestDelayDelaysJasonsRequestsBySevenSeconds(Path dir) {
        VirtualService vs = only(dir, "virtual-service-ratings-test-delay.yaml", VirtualService.class);

        HttpRoute jason = vs.http().get(0);
        assertThat(jason.match().getFirst().headers()).isEqualTo(Map.of("end-user", StringMatch.exact("jason")));
        assertThat(jason.fault().abort()).isNull();
        assertThat(jason.fault().delay())
                .isEqualTo(new VirtualService.Fault.Delay(Duration.ofSeconds(7), new Percent(100)));
        assertThat(jason.route()).containsExactly(RouteDestination.of("ratings", "v1", null));
        assertThat(vs.http().get(1).route()).containsExactly(RouteDestination.of("ratings", "v1", null));
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void reviews8020SplitsTrafficEightyToV1AndTwentyToV2(Path dir) {
        VirtualService vs = only(dir, "virtual-service-reviews-80-20.yaml", VirtualService.class);

        assertThat(vs.hosts()).containsExactly("reviews");
        assertThat(vs.http()).singleElement().satisfies(route -> {
            assertThat(route.match()).isEmpty();
            assertThat(route.route()).containsExactly(
                    RouteDestination.of("reviews", "v1", 80),
                    RouteDestination.of("reviews", "v2", 20));
        });
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void reviewsJasonV2V3SendsJasonToV2AndEveryoneElseToV3(Path dir) {
        VirtualService vs = only(dir, "virtual-service-reviews-jason-v2-v3.yaml", VirtualService.class);

        assertThat(vs.http()).hasSize(2);
        assertThat(vs.http().get(0).match().getFirst().headers())
                .isEqualTo(Map.of("end-user", StringMatch.exact("jason")));
        assertThat(vs.http().get(0).route()).containsExactly(RouteDestination.of("reviews", "v2", null));
        assertThat(vs.http().get(1).match()).isEmpty();
        assertThat(vs.http().get(1).route()).containsExactly(RouteDestination.of("reviews", "v3", null));
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void allV1RoutesEachServiceToItsV1Subset(Path dir) {
        LoadResult result = loader.load(dir.resolve("virtual-service-all-v1.yaml"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.resources()).hasSize(4).allSatisfy(r -> {
            VirtualService vs = (VirtualService) r;
            String service = vs.metadata().name();
            assertThat(vs.hosts()).containsExactly(service);
            assertThat(vs.http()).singleElement()
                    .satisfies(route -> assertThat(route.route()).containsExactly(RouteDestination.of(service, "v1", null)));
        });
        assertThat(result.resources()).extracting(r -> r.metadata().name())
                .containsExactly("productpage", "reviews", "ratings", "details");
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void destinationRuleAllDefinesEachServicesVersionsAsSubsets(Path dir) {
        List<DestinationRule> rules = all(dir, "destination-rule-all.yaml", DestinationRule.class);

        assertThat(rules).extracting(DestinationRule::host).containsExactly("productpage", "reviews", "ratings", "details");
        assertThat(subsetNames(rules.get(2))).containsExactly("v1", "v2", "v2-mysql", "v2-mysql-vm");
        assertThat(rules.get(2).subsets().get(3).labels()).isEqualTo(Map.of("version", "v2-mysql-vm"));
        assertThat(subsetNames(rules.get(1))).containsExactly("v1", "v2", "v3");
        assertThat(rules).allSatisfy(r -> assertThat(r.trafficPolicy()).isEqualTo(DestinationRule.TrafficPolicy.DEFAULT));
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void destinationRuleAllMtlsUsesIstioMutualTlsForEveryService(Path dir) {
        List<DestinationRule> rules = all(dir, "destination-rule-all-mtls.yaml", DestinationRule.class);

        assertThat(rules).hasSize(4).allSatisfy(r ->
                assertThat(r.trafficPolicy().tls().mode()).isEqualTo(DestinationRule.Tls.Mode.ISTIO_MUTUAL));
        assertThat(subsetNames(rules.get(2))).containsExactly("v1", "v2", "v2-mysql", "v2-mysql-vm");
    }

    @ParameterizedTest
    @MethodSource("bookinfoDirectories")
    void everyBookinfoRouteNamesASubsetTheDestinationRulesDefine(Path dir) throws IOException {
        List<String> routeFiles;
        try (Stream<Path> s = Files.list(dir)) {
            routeFiles = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("virtual-service")).sorted().toList();
        }
        for (String rules : List.of("destination-rule-all.yaml", "destination-rule-all-mtls.yaml")) {
            for (String routes : routeFiles) {
                List<LoadedDocument> docs = new ArrayList<>(loader.load(dir.resolve(rules)).documents());
                docs.addAll(loader.load(dir.resolve(routes)).documents());
                assertThat(new ConfigValidator().validate(docs)).as(rules + " + " + routes).isEmpty();
            }
        }
    }

    @Test
    void copiedBookinfoFilesAreUnchangedFromTheSharedOriginals() throws IOException {
        Path shared = Fixtures.sharedBookinfo().orElse(null);
        assumeTrue(shared != null, "no shared/fixtures/istio-bookinfo next to the repository");
        try (Stream<Path> s = Files.list(shared)) {
            for (Path original : s.toList()) {
                Path copy = Fixtures.path("istio-bookinfo").resolve(original.getFileName());
                assertThat(copy).as(original.getFileName().toString()).hasSameBinaryContentAs(original);
            }
        }
    }

    private <T extends MeshResource> T only(Path dir, String file, Class<T> type) {
        List<T> all = all(dir, file, type);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private <T extends MeshResource> List<T> all(Path dir, String file, Class<T> type) {
        LoadResult result = loader.load(dir.resolve(file));
        assertThat(result.errors()).isEmpty();
        return result.resources().stream().map(type::cast).toList();
    }

    private static List<String> subsetNames(DestinationRule rule) {
        return rule.subsets().stream().map(DestinationRule.Subset::name).toList();
    }
}
