package dev.meshdeck.controller.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.Percent;
import dev.meshdeck.controller.config.ServiceEntry;
import dev.meshdeck.controller.config.Source;
import dev.meshdeck.controller.config.StringMatch;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.config.VirtualService.Fault;
import dev.meshdeck.controller.config.VirtualService.Mirror;
import dev.meshdeck.controller.config.WorkloadEntry;
import dev.meshdeck.controller.fixtures.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading single documents: what is accepted, what it means, and where each error points. */
class ConfigLoaderTest {
    /** Lines 1..7 of most documents below; line 8 starts the first http route. */
    private static final String VS_HEAD = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
            """;

    private static final String DR_HEAD = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
            spec:
              host: reviews
            """;

    private final ConfigLoader loader = new ConfigLoader();

    private LoadResult load(String yaml) {
        return loader.load("test.yaml", yaml);
    }

    private ConfigError onlyError(String yaml) {
        LoadResult result = load(yaml);
        assertThat(result.errors()).hasSize(1);
        assertThat(result.documents()).isEmpty();
        return result.errors().getFirst();
    }

    // --- kinds, versions, fields -------------------------------------------------------------------------

    @Test
    void rejectsUnknownKind() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: Gateway2
                metadata:
                  name: front
                spec:
                  servers: []
                """);

        assertThat(e.field()).isEqualTo("kind");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.document()).isEqualTo(1);
        assertThat(e.message()).isEqualTo(
                "unknown kind Gateway2 (expected one of: VirtualService, DestinationRule, ServiceEntry, WorkloadEntry)");
    }

    @Test
    void saysAnIstioKindItDoesNotReadIsNotSupported() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: front}
                spec: {}
                """);

        assertThat(e.field()).isEqualTo("kind");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.message()).startsWith("kind Gateway is not supported by Meshdeck (expected one of: VirtualService,");
    }

    @Test
    void rejectsApiVersionOutsideNetworkingIstioIo() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v2
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("apiVersion");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.resource()).isEqualTo("VirtualService default/reviews");
        assertThat(e.message()).isEqualTo("\"networking.istio.io/v2\" is not an API version of VirtualService"
                + " (expected: one of networking.istio.io/v1alpha3, networking.istio.io/v1beta1, networking.istio.io/v1)");
    }

    @Test
    void acceptsEveryNetworkingVersion() {
        for (String version : new String[] {"v1alpha3", "v1beta1", "v1"}) {
            LoadResult result = load(VS_HEAD.replace("/v1\n", "/" + version + "\n") + """
                      - route:
                        - destination: {host: reviews}
                    """);
            assertThat(result.errors()).as(version).isEmpty();
        }
    }

    @Test
    void rejectsUnknownFieldNamingTheFieldsItKnows() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    retires:
                      attempts: 3
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].retires");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.resource()).isEqualTo("VirtualService default/reviews");
        assertThat(e.message()).isEqualTo("unknown field retires (expected one of: name, match, route, rewrite,"
                + " redirect, timeout, retries, fault, mirror, mirrorPercent, mirrorPercentage, mirrors, headers)");
    }

    static Stream<Arguments> unsupportedIstioFields() {
        String route = """
                  - route:
                    - destination: {host: reviews}
                """;
        return Stream.of(
                arguments(VS_HEAD + route + "  tcp:\n  - route:\n    - destination: {host: reviews}\n", "spec.tcp", 10, "tcp"),
                arguments(VS_HEAD + route + "  tls: []\n", "spec.tls", 10, "tls"),
                arguments(VS_HEAD + route + "  exportTo: [\".\"]\n", "spec.exportTo", 10, "exportTo"),
                arguments(VS_HEAD + route + "    corsPolicy:\n      allowOrigins: [{exact: \"*\"}]\n",
                        "spec.http[0].corsPolicy", 10, "corsPolicy"),
                arguments(VS_HEAD + route + "    delegate: {name: reviews-v1}\n", "spec.http[0].delegate", 10, "delegate"),
                arguments(VS_HEAD + route + "    directResponse: {status: 503}\n",
                        "spec.http[0].directResponse", 10, "directResponse"),
                arguments(DR_HEAD + "  workloadSelector:\n    matchLabels: {app: reviews}\n",
                        "spec.workloadSelector", 7, "workloadSelector"),
                arguments(DR_HEAD + "  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n",
                        "spec.trafficPolicy.portLevelSettings", 8, "portLevelSettings"),
                arguments(DR_HEAD + "  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: reviews-cert}\n",
                        "spec.trafficPolicy.tls.credentialName", 8, "credentialName"),
                arguments(DR_HEAD + "  trafficPolicy:\n    loadBalancer:\n      simple: ROUND_ROBIN\n"
                                + "      localityLbSetting: {enabled: true}\n",
                        "spec.trafficPolicy.loadBalancer.localityLbSetting", 10, "localityLbSetting"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("unsupportedIstioFields")
    void rejectsIstioFieldsMeshdeckDoesNotSupport(String yaml, String path, int line, String field) {
        ConfigError e = onlyError(yaml);

        assertThat(e.field()).isEqualTo(path);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.message()).isEqualTo("field " + field + " is not supported by Meshdeck");
    }

    @Test
    void acceptsOnlyTheMeshGateway() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                  gateways: [mesh, bookinfo-gateway]
                """);

        assertThat(e.field()).isEqualTo("spec.gateways[1]");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("\"bookinfo-gateway\" (expected: mesh; Meshdeck has no gateways, only sidecars)");
    }

    @Test
    void rejectsBadEnumValueListingTheAcceptedOnes() {
        ConfigError e = onlyError(DR_HEAD + """
                  trafficPolicy:
                    loadBalancer:
                      simple: ROUND_ROBBIN
                """);

        assertThat(e.field()).isEqualTo("spec.trafficPolicy.loadBalancer.simple");
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.message()).isEqualTo("\"ROUND_ROBBIN\" (expected: one of UNSPECIFIED, ROUND_ROBIN, LEAST_REQUEST,"
                + " RANDOM, PASSTHROUGH, LEAST_CONN)");
    }

    @Test
    void rejectsAValueOfTheWrongType() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                      weight: eighty
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].route[0].weight");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("\"eighty\" (expected: an integer 0..100)");
    }

    @Test
    void suggestsQuotesWhenANumberIsWrittenWhereTextBelongs() {
        ConfigError e = onlyError(DR_HEAD + """
                  subsets:
                  - name: v1
                    labels:
                      version: 1
                """);

        assertThat(e.field()).isEqualTo("spec.subsets[0].labels.version");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("the number 1 (expected: a string; write \"1\" in quotes to mean the text)");
    }

    @Test
    void rejectsAFieldWrittenTwice() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  hosts: [ratings]
                  http:
                  - route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("spec.hosts");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.message()).isEqualTo("duplicate field (first written at line 6)");
    }

    @Test
    void ignoresKubernetesBookkeepingAndStatus() {
        LoadResult result = load("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: reviews
                  uid: 0b4f3c1e-8a57-4a67-9d7e-6c1d0f6f1e11
                  resourceVersion: "1234"
                  creationTimestamp: "2026-01-01T00:00:00Z"
                  generation: 3
                  managedFields: [{manager: kubectl}]
                spec:
                  host: reviews
                status:
                  observedGeneration: 3
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(result.resources()).singleElement().satisfies(r -> assertThat(r.metadata().name()).isEqualTo("reviews"));
    }

    @Test
    void rejectsANameThatIsNotADnsName() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: Reviews_1
                spec:
                  host: reviews
                """);

        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.message()).startsWith("\"Reviews_1\" (expected: a DNS-1123 name");
    }

    // --- routes ---------------------------------------------------------------------------------------------

    @Test
    void rejectsWeightsThatDoNotAddUpTo100() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination:
                        host: reviews
                        subset: v1
                      weight: 80
                    - destination:
                        host: reviews
                        subset: v2
                      weight: 10
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].route");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.message()).isEqualTo("weights add up to 90 (expected: 100)");
    }

    @Test
    void rejectsAWeightOver100() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                      weight: 120
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].route[0].weight");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("120 (expected: 0..100)");
        assertThat(e.toString()).isEqualTo("test.yaml:10: document 1 (VirtualService default/reviews):"
                + " spec.http[0].route[0].weight: 120 (expected: 0..100)");
    }

    @Test
    void rejectsAnHttpRouteWithoutDestinationOrRedirect() {
        ConfigError e = onlyError(VS_HEAD + """
                  - timeout: 1s
                """);

        assertThat(e.field()).isEqualTo("spec.http[0]");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.message()).isEqualTo("missing route (expected: at least one route destination, or a redirect)");
    }

    @Test
    void acceptsARedirectInsteadOfDestinations() {
        LoadResult result = load(VS_HEAD + """
                  - redirect: {uri: /v2, redirectCode: 302}
                """);

        assertThat(result.errors()).isEmpty();
        VirtualService vs = (VirtualService) result.resources().getFirst();
        assertThat(vs.http().getFirst().redirect()).isEqualTo(new VirtualService.Redirect("/v2", null, 302));
    }

    @Test
    void rejectsAVirtualServiceWithoutHosts() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  http:
                  - route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("spec.hosts");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.message()).isEqualTo("missing (expected: at least one host, such as reviews)");
    }

    @Test
    void rejectsAVirtualServiceWithoutHttpRoutes() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http: []
                """);

        assertThat(e.field()).isEqualTo("spec.http");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.message()).isEqualTo("empty (expected: at least one http route (Meshdeck routes HTTP and gRPC only))");
    }

    @Test
    void rejectsANegativeDuration() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    timeout: -1s
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].timeout");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("duration \"-1s\" is negative (expected: 0s or more)");
    }

    @Test
    void rejectsAnUnparsableDuration() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    fault:
                      delay:
                        fixedDelay: 10 seconds
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].fault.delay.fixedDelay");
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.message()).isEqualTo("duration \"10 seconds\" is not a duration"
                + " (expected: a number and a unit, e.g. 100ms, 1.5s, 1m30s, 1h)");
    }

    @Test
    void rejectsADurationWrittenAsABareNumber() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    retries: {attempts: 2, perTryTimeout: 10}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].retries.perTryTimeout");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("the number 10 (expected: a duration such as 100ms, 1.5s, 1m30s)");
    }

    @Test
    void rejectsARegexThatIsNotRe2() {
        ConfigError e = onlyError(VS_HEAD + """
                  - match:
                    - uri:
                        regex: "^/api(?!/internal)"
                    route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].match[0].uri.regex");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).startsWith("regex \"^/api(?!/internal)\" does not compile as RE2: ");
    }

    @Test
    void rejectsAHeaderRegexThatDoesNotCompile() {
        ConfigError e = onlyError(VS_HEAD + """
                  - match:
                    - headers:
                        x-user:
                          regex: "[a-z"
                    route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].match[0].headers.x-user.regex");
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).startsWith("regex \"[a-z\" does not compile as RE2: ").contains("missing closing ]");
    }

    @Test
    void rejectsAStringMatchWithTwoKinds() {
        ConfigError e = onlyError(VS_HEAD + """
                  - match:
                    - uri: {exact: /a, prefix: /b}
                    route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].match[0].uri.prefix");
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.message()).isEqualTo("exact and prefix are both set (expected: one of exact, prefix, regex)");
    }

    @Test
    void rejectsAHeaderPresenceMatch() {
        ConfigError e = onlyError(VS_HEAD + """
                  - match:
                    - headers:
                        end-user: {}
                    route:
                    - destination: {host: reviews}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].match[0].headers.end-user");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).startsWith("an empty match (header presence) is not supported by Meshdeck");
    }

    @Test
    void rejectsAPortOutOfRange() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews, port: {number: 70000}}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].route[0].destination.port.number");
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.message()).isEqualTo("70000 (expected: 1..65535)");
    }

    @Test
    void rejectsNegativeRetryAttempts() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    retries:
                      attempts: -1
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].retries.attempts");
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).isEqualTo("-1 (expected: 0 or more)");
    }

    @Test
    void rejectsAnUnknownRetryCondition() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    retries: {attempts: 2, retryOn: "5xx,on-failure"}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].retries.retryOn");
        assertThat(e.message()).startsWith("\"on-failure\" in \"5xx,on-failure\" (expected: a comma-separated list of");
    }

    // --- faults and percentages ---------------------------------------------------------------------------------

    private static String abort(String body) {
        return VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    fault:
                      abort:
                """ + body;
    }

    @Test
    void rejectsAnAbortWithBothStatuses() {
        ConfigError e = onlyError(abort("        httpStatus: 500\n        grpcStatus: UNAVAILABLE\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort");
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).isEqualTo("httpStatus and grpcStatus are both set (expected: one of them)");
    }

    @Test
    void rejectsAnAbortWithoutStatus() {
        ConfigError e = onlyError(abort("        percentage: {value: 10}\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort");
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).isEqualTo("missing status (expected: httpStatus 200..599 or grpcStatus, a gRPC code name)");
    }

    @Test
    void rejectsAnHttpStatusOutOfRange() {
        ConfigError e = onlyError(abort("        httpStatus: 600\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort.httpStatus");
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.message()).isEqualTo("600 (expected: 200..599)");
    }

    @Test
    void rejectsAGrpcStatusThatIsNotACodeName() {
        ConfigError e = onlyError(abort("        grpcStatus: \"14\"\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort.grpcStatus");
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.message()).startsWith("\"14\" (expected: a gRPC status code name, one of OK, CANCELLED,");
    }

    @Test
    void acceptsAGrpcAbort() {
        LoadResult result = load(abort("        grpcStatus: UNAVAILABLE\n        percentage: {value: 12.5}\n"));

        assertThat(result.errors()).isEmpty();
        VirtualService vs = (VirtualService) result.resources().getFirst();
        assertThat(vs.http().getFirst().fault().abort())
                .isEqualTo(new Fault.Abort(null, "UNAVAILABLE", new Percent(12.5)));
    }

    @Test
    void rejectsAPercentageOver100() {
        ConfigError e = onlyError(abort("        httpStatus: 503\n        percentage:\n          value: 120\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort.percentage.value");
        assertThat(e.line()).isEqualTo(14);
        assertThat(e.message()).isEqualTo("120 (expected: 0..100)");
    }

    @Test
    void rejectsADeprecatedPercentOver100() {
        ConfigError e = onlyError(abort("        httpStatus: 503\n        percent: 101\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort.percent");
        assertThat(e.line()).isEqualTo(13);
        assertThat(e.message()).isEqualTo("101 (expected: 0..100)");
    }

    @Test
    void rejectsPercentTogetherWithPercentage() {
        ConfigError e = onlyError(abort("        httpStatus: 503\n        percent: 10\n        percentage: {value: 10}\n"));

        assertThat(e.field()).isEqualTo("spec.http[0].fault.abort.percent");
        assertThat(e.line()).isEqualTo(13);
        assertThat(e.message()).startsWith("percent and percentage are both set");
    }

    // --- destination rules and service entries --------------------------------------------------------------------

    @Test
    void rejectsADestinationRuleWithoutHost() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: reviews
                spec:
                  subsets:
                  - name: v1
                """);

        assertThat(e.field()).isEqualTo("spec.host");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.message()).isEqualTo("missing (expected: the service host the rule applies to, such as reviews)");
    }

    @Test
    void rejectsSubsetNamesUsedTwiceInOneRule() {
        ConfigError e = onlyError(DR_HEAD + """
                  subsets:
                  - name: v1
                  - name: v2
                  - name: v1
                """);

        assertThat(e.field()).isEqualTo("spec.subsets[2].name");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("duplicate subset name v1 (first at line 8; expected: names unique within the rule)");
    }

    // --- load balancer warm-up --------------------------------------------------------------------------------------

    /** A DestinationRule whose {@code trafficPolicy.loadBalancer} is {@code body}; its fields start at line 9. */
    private static String loadBalancer(String body) {
        return DR_HEAD + "  trafficPolicy:\n    loadBalancer:\n" + body;
    }

    private DestinationRule.LoadBalancer loadedBalancer(String yaml) {
        LoadResult result = load(yaml);
        assertThat(result.errors()).isEmpty();
        return ((DestinationRule) result.resources().getFirst()).trafficPolicy().loadBalancer();
    }

    @Test
    void readsAWarmupAsWritten() {
        DestinationRule.LoadBalancer lb = loadedBalancer(loadBalancer("""
                      simple: LEAST_REQUEST
                      warmup:
                        duration: 90s
                        minimumPercent: 25.5
                        aggression: 2
                """));

        assertThat(lb).isEqualTo(new DestinationRule.LoadBalancer(DestinationRule.LoadBalancer.Simple.LEAST_REQUEST,
                null, new DestinationRule.Warmup(Duration.ofSeconds(90), 25.5, 2.0)));
    }

    @Test
    void aWarmupWithOnlyADurationGetsIstiosDefaultsTenPercentAndAggressionOne() {
        DestinationRule.LoadBalancer lb = loadedBalancer(loadBalancer("""
                      simple: ROUND_ROBIN
                      warmup: {duration: 2m}
                """));

        assertThat(lb.warmup()).isEqualTo(new DestinationRule.Warmup(Duration.ofMinutes(2), 10, 1.0));
    }

    @Test
    void readsTheDeprecatedWarmupDurationSecsAsAWarmupWithIstiosDefaults() {
        DestinationRule.LoadBalancer lb = loadedBalancer(loadBalancer("""
                      simple: ROUND_ROBIN
                      warmupDurationSecs: 100s
                """));

        assertThat(lb.warmup()).isEqualTo(new DestinationRule.Warmup(Duration.ofSeconds(100), 10, 1.0));
    }

    @Test
    void warmupWinsOverWarmupDurationSecsWhenBothAreWritten() {
        DestinationRule.LoadBalancer lb = loadedBalancer(loadBalancer("""
                      warmupDurationSecs: 100s
                      warmup: {duration: 30s, minimumPercent: 50}
                """));

        assertThat(lb.warmup()).isEqualTo(new DestinationRule.Warmup(Duration.ofSeconds(30), 50, 1.0));
    }

    @Test
    void acceptsAWarmupWithoutSimpleOrConsistentHash() {
        DestinationRule.LoadBalancer lb = loadedBalancer(loadBalancer("""
                      warmup: {duration: 45s}
                """));

        assertThat(lb).isEqualTo(new DestinationRule.LoadBalancer(null, null,
                DestinationRule.Warmup.of(Duration.ofSeconds(45))));
    }

    @Test
    void acceptsAWarmupWithSimpleUnspecifiedTheDefault() {
        DestinationRule.LoadBalancer lb = loadedBalancer(loadBalancer("""
                      simple: UNSPECIFIED
                      warmupDurationSecs: 10s
                """));

        assertThat(lb.simple()).isEqualTo(DestinationRule.LoadBalancer.Simple.UNSPECIFIED);
        assertThat(lb.warmup()).isEqualTo(DestinationRule.Warmup.of(Duration.ofSeconds(10)));
    }

    @Test
    void rejectsAnEmptyLoadBalancerNamingWhatItMayHold() {
        ConfigError e = onlyError(loadBalancer("      warmup: null\n"));

        assertThat(e.field()).isEqualTo("spec.trafficPolicy.loadBalancer");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.message()).isEqualTo("empty (expected: simple, consistentHash or warmup)");
    }

    static Stream<Arguments> badWarmups() {
        String onlyRoundAndLeast = " (expected: not set; warm-up applies to ROUND_ROBIN and LEAST_REQUEST only, as"
                + " Envoy's slow start does)";
        String lb = "spec.trafficPolicy.loadBalancer.";
        return Stream.of(
                arguments("a warmup without duration", "      warmup:\n        minimumPercent: 20\n",
                        lb + "warmup.duration", 9,
                        "missing (expected: a duration such as 100s, how long a new endpoint warms up)"),
                arguments("a zero duration", "      warmup:\n        duration: 0s\n",
                        lb + "warmup.duration", 10, "duration \"0s\" is zero (expected: more than 0s)"),
                arguments("a negative duration", "      warmup:\n        duration: -30s\n",
                        lb + "warmup.duration", 10, "duration \"-30s\" is negative (expected: more than 0s)"),
                arguments("a zero warmupDurationSecs", "      simple: ROUND_ROBIN\n      warmupDurationSecs: 0s\n",
                        lb + "warmupDurationSecs", 10, "duration \"0s\" is zero (expected: more than 0s)"),
                arguments("minimumPercent 101", "      warmup:\n        duration: 10s\n        minimumPercent: 101\n",
                        lb + "warmup.minimumPercent", 11, "101 (expected: 0..100)"),
                arguments("minimumPercent -1", "      warmup:\n        duration: 10s\n        minimumPercent: -1\n",
                        lb + "warmup.minimumPercent", 11, "-1 (expected: 0..100)"),
                arguments("aggression 0", "      warmup:\n        duration: 10s\n        aggression: 0\n",
                        lb + "warmup.aggression", 11, "0 (expected: more than 0)"),
                arguments("aggression as text", "      warmup:\n        duration: 10s\n        aggression: fast\n",
                        lb + "warmup.aggression", 11, "\"fast\" (expected: a number more than 0)"),
                arguments("an unknown key in warmup", "      warmup:\n        duration: 10s\n        minPercent: 5\n",
                        lb + "warmup.minPercent", 11,
                        "unknown field minPercent (expected one of: duration, minimumPercent, aggression)"),
                arguments("warmup with RANDOM", "      simple: RANDOM\n      warmup: {duration: 10s}\n",
                        lb + "warmup", 10, "set with simple RANDOM" + onlyRoundAndLeast),
                arguments("warmupDurationSecs with PASSTHROUGH",
                        "      simple: PASSTHROUGH\n      warmupDurationSecs: 10s\n",
                        lb + "warmupDurationSecs", 10, "set with simple PASSTHROUGH" + onlyRoundAndLeast),
                arguments("warmup with consistentHash",
                        "      consistentHash: {useSourceIp: true}\n      warmup: {duration: 10s}\n",
                        lb + "warmup", 10, "set with consistentHash" + onlyRoundAndLeast));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWarmups")
    void rejectsABadWarmupNamingTheFieldAndItsLine(String name, String body, String path, int line, String message) {
        ConfigError e = onlyError(loadBalancer(body));

        assertThat(e.field()).isEqualTo(path);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.message()).isEqualTo(message);
    }

    @Test
    void rejectsABadWarmupInASubsetsPolicyAtItsPath() {
        ConfigError e = onlyError(DR_HEAD + """
                  subsets:
                  - name: v1
                    trafficPolicy:
                      loadBalancer:
                        warmup: {duration: 10s, aggression: -1}
                """);

        assertThat(e.field()).isEqualTo("spec.subsets[0].trafficPolicy.loadBalancer.warmup.aggression");
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).isEqualTo("-1 (expected: more than 0)");
    }

    @Test
    void rejectsAStaticServiceEntryEndpointThatIsNotAnIpAddress() {
        ConfigError e = onlyError("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: payments
                spec:
                  hosts: [payments.example.com]
                  ports: [{number: 443, name: https, protocol: TLS}]
                  resolution: STATIC
                  endpoints:
                  - address: payments.internal
                """);

        assertThat(e.field()).isEqualTo("spec.endpoints[0].address");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("\"payments.internal\" (expected: an IP address, as resolution STATIC needs)");
    }

    // --- YAML, files and documents ----------------------------------------------------------------------------------

    @Test
    void reportsTextThatIsNotYamlWithTheParsersLine() {
        LoadResult result = load(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService: DestinationRule
                """);

        assertThat(result.documents()).hasSize(1);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.document()).isEqualTo(2);
            assertThat(e.line()).isEqualTo(12);
            assertThat(e.field()).isNull();
            assertThat(e.message()).isEqualTo("not valid YAML: mapping values are not allowed here");
        });
    }

    @Test
    void rejectsADocumentThatIsNotAMapping() {
        ConfigError e = onlyError("just some text\n");

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.message()).isEqualTo("the document is \"just some text\""
                + " (expected: a resource, a mapping with apiVersion, kind, metadata and spec)");
    }

    @Test
    void rejectsYamlAliases() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: &h reviews}
                    mirror: {host: *h}
                """);

        assertThat(e.line()).isEqualTo(10);
        assertThat(e.message()).isEqualTo(
                "not valid YAML: YAML alias *h is not supported by Meshdeck (expected: the value written out)");
    }

    @Test
    void refusesAFileOver10MegabytesBeforeReadingIt(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(ConfigLoader.MAX_FILE_BYTES + 1L); // NUL bytes: were it read, it would not be YAML either
        }

        LoadResult result = loader.load(big);

        assertThat(result.documents()).isEmpty();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(big.toString());
            assertThat(e.line()).isZero();
            assertThat(e.message()).isEqualTo("file is 10,485,761 bytes, larger than the limit of 10,485,760 bytes (10 MB)");
        });
    }

    @Test
    void reportsAFileThatCannotBeRead(@TempDir Path dir) {
        LoadResult result = loader.load(dir.resolve("missing.yaml"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).endsWith("missing.yaml");
            assertThat(e.message()).isEqualTo("no such file");
        });
    }

    @Test
    void collectsTheErrorsOfEveryDocument() {
        LoadResult result = load("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews}, weight: 101}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: BAD}
                spec: {host: ratings, subsets: [{name: v1, label: {version: v1}}]}
                """);

        assertThat(result.errors()).extracting(ConfigError::document, ConfigError::field, ConfigError::line)
                .containsExactly(
                        tuple(1, "spec.http[0].route[0].weight", 6),
                        tuple(3, "metadata.name", 15),
                        tuple(3, "spec.subsets[0].label", 16));
        assertThat(result.resources()).singleElement().isInstanceOf(DestinationRule.class);
        assertThat(result.ok()).isFalse();
    }

    @Test
    void skipsEmptyDocumentsAndKeepsEachDocumentsTextAsWritten() {
        String vs = """
                # the reviews service
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews}}]}]
                """;
        String dr = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: prod}
                spec: {host: reviews}
                """;
        LoadResult result = load("# Bookinfo routes\n---\n" + vs + "---\n---\n" + dr + "---\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.documents()).hasSize(2);
        LoadedDocument first = result.documents().get(0);
        assertThat(first.text()).isEqualTo(vs);
        assertThat(first.resource().source()).isEqualTo(new Source("test.yaml", 1, 3));
        LoadedDocument second = result.documents().get(1);
        assertThat(second.text()).isEqualTo(dr);
        assertThat(second.resource().source()).isEqualTo(new Source("test.yaml", 2, 12));
        assertThat(second.key().namespace()).isEqualTo("prod");
    }

    @Test
    void readsWindowsLineEndingsAByteOrderMarkAndDirectives() {
        String vs = VS_HEAD + "  - route:\n    - destination: {host: reviews}\n";
        for (String text : List.of(vs.replace("\n", "\r\n"), "\uFEFF" + vs, "%YAML 1.2\n---\n" + vs)) {
            LoadResult result = load(text);
            assertThat(result.errors()).isEmpty();
            assertThat(result.resources()).singleElement()
                    .satisfies(r -> assertThat(r.metadata().name()).isEqualTo("reviews"));
        }
    }

    @Test
    void recordsTheLineOfEveryFieldRead() {
        LoadResult result = load(VS_HEAD + """
                  - route:
                    - destination:
                        host: reviews
                        subset: v1
                      weight: 80
                    - destination:
                        host: reviews
                        subset: v2
                      weight: 20
                """);

        assertThat(result.errors()).isEmpty();
        LoadedDocument doc = result.documents().getFirst();
        assertThat(doc.fieldLines()).containsEntry("metadata.name", 4)
                .containsEntry("spec.hosts[0]", 6)
                .containsEntry("spec.http[0]", 8)
                .containsEntry("spec.http[0].route[1].destination.subset", 15)
                .containsEntry("spec.http[0].route[1].weight", 16);
        assertThat(doc.lineOf("spec.http[0].timeout")).isEqualTo(1);
    }

    // --- spellings ---------------------------------------------------------------------------------------------------

    @Test
    void foldsDeprecatedAndSnakeCaseSpellingsIntoTheirCurrentForm() {
        LoadResult result = loader.load(Fixtures.path("config/deprecated-spellings.yaml"));

        assertThat(result.errors()).isEmpty();
        VirtualService vs = (VirtualService) result.resources().get(0);
        VirtualService.HttpRoute first = vs.http().get(0);
        assertThat(first.fault()).isEqualTo(new Fault(
                new Fault.Delay(Duration.ofSeconds(2), new Percent(30)),
                new Fault.Abort(503, null, new Percent(5))));
        assertThat(first.mirrors()).containsExactly(
                new Mirror(new VirtualService.Destination("ratings", "v2", null), new Percent(40)));
        VirtualService.HttpRoute second = vs.http().get(1);
        assertThat(second.mirrors()).containsExactly(
                new Mirror(new VirtualService.Destination("ratings-shadow", null, null), new Percent(2.5)));
        assertThat(second.retries()).isEqualTo(new VirtualService.Retries(2, Duration.ofSeconds(1), "gateway-error"));

        DestinationRule dr = (DestinationRule) result.resources().get(1);
        assertThat(dr.trafficPolicy().loadBalancer().simple()).isEqualTo(DestinationRule.LoadBalancer.Simple.LEAST_REQUEST);
        assertThat(dr.trafficPolicy().loadBalancer().warmup()).isEqualTo(DestinationRule.Warmup.of(Duration.ofSeconds(100)));
        assertThat(dr.trafficPolicy().outlierDetection().consecutive5xxErrors()).isEqualTo(7);
        assertThat(dr.subsets().get(1).trafficPolicy().loadBalancer().consistentHash())
                .isEqualTo(new DestinationRule.ConsistentHash("x-user", null, false, null, 512L, false));
        assertThat(dr.subsets().get(2).trafficPolicy().loadBalancer().consistentHash())
                .isEqualTo(new DestinationRule.ConsistentHash(null, null, true, null, null, true));
        assertThat(result.documents().get(1).fieldLines()).containsKey("spec.trafficPolicy.loadBalancer.simple");
    }

    @Test
    void rejectsBothSpellingsOfOneField() {
        ConfigError e = onlyError(VS_HEAD + """
                  - route:
                    - destination: {host: reviews}
                    fault:
                      delay: {fixedDelay: 1s, fixed_delay: 2s}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].fault.delay.fixedDelay");
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).isEqualTo("duplicate field: fixed_delay is fixedDelay, already written at line 11");
    }

    @Test
    void readsEveryFieldMeshdeckSupports() {
        LoadResult result = loader.load(Fixtures.path("config/all-fields.yaml"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.resources()).hasSize(5);

        VirtualService vs = (VirtualService) result.resources().get(0);
        assertThat(vs.metadata().labels()).containsEntry("app", "reviews");
        assertThat(vs.metadata().annotations()).containsEntry("owner", "team-a");
        assertThat(vs.gateways()).containsExactly("mesh");
        VirtualService.HttpRoute canary = vs.http().get(0);
        assertThat(canary.name()).isEqualTo("canary");
        assertThat(canary.match()).containsExactly(new VirtualService.HttpMatch("api",
                StringMatch.prefix("/api"),
                StringMatch.exact("GET"),
                StringMatch.regex("reviews(\\.shop)?"),
                Map.of("end-user", StringMatch.exact("jason")),
                Map.of("debug", StringMatch.exact("1")),
                Map.of("x-skip", StringMatch.prefix("yes")),
                true));
        assertThat(canary.route()).containsExactly(
                new VirtualService.RouteDestination(new VirtualService.Destination("reviews", "v1", 9080), 75,
                        new VirtualService.Headers(new VirtualService.HeaderOperations(
                                Map.of("x-route", "v1"), null, null), null)),
                VirtualService.RouteDestination.of("reviews", "v2", 25));
        assertThat(canary.rewrite()).isEqualTo(new VirtualService.Rewrite("/v2/api", "reviews-v2"));
        assertThat(canary.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(canary.retries()).isEqualTo(
                new VirtualService.Retries(3, Duration.ofMillis(500), "5xx,reset,connect-failure,503"));
        assertThat(canary.fault()).isEqualTo(new Fault(
                new Fault.Delay(Duration.ofMillis(100), new Percent(12.5)),
                new Fault.Abort(null, "UNAVAILABLE", new Percent(0.5))));
        assertThat(canary.mirrors()).containsExactly(
                new Mirror(new VirtualService.Destination("reviews", "v3", null), new Percent(10)));
        assertThat(canary.headers()).isEqualTo(new VirtualService.Headers(
                new VirtualService.HeaderOperations(null, Map.of("x-added", "yes"), List.of("x-internal")),
                new VirtualService.HeaderOperations(Map.of("x-served-by", "meshdeck"), null, null)));
        assertThat(vs.http().get(1).redirect())
                .isEqualTo(new VirtualService.Redirect("/new", "reviews.example.com", 308));

        DestinationRule dr = (DestinationRule) result.resources().get(1);
        assertThat(dr.trafficPolicy()).isEqualTo(new DestinationRule.TrafficPolicy(
                new DestinationRule.LoadBalancer(null, new DestinationRule.ConsistentHash(null,
                        new DestinationRule.ConsistentHash.HttpCookie("session", "/", Duration.ofMinutes(30)),
                        false, null, 2048L, false)),
                new DestinationRule.ConnectionPool(
                        new DestinationRule.ConnectionPool.Tcp(100, Duration.ofMillis(250)),
                        new DestinationRule.ConnectionPool.Http(10, 1000, 5, 2, Duration.ofMinutes(1), 64)),
                new DestinationRule.OutlierDetection(5, 3, Duration.ofSeconds(10), Duration.ofSeconds(30), 50, 20),
                new DestinationRule.Tls(DestinationRule.Tls.Mode.ISTIO_MUTUAL, null, null, null,
                        List.of("spiffe://cluster.local/ns/shop/sa/reviews"), "reviews.shop.svc.cluster.local",
                        false)));
        assertThat(dr.subsets()).extracting(DestinationRule.Subset::name).containsExactly("v1", "v2", "v3");
        assertThat(dr.subsets().get(1).trafficPolicy().loadBalancer()).isEqualTo(new DestinationRule.LoadBalancer(
                DestinationRule.LoadBalancer.Simple.LEAST_REQUEST, null,
                new DestinationRule.Warmup(Duration.ofMinutes(2), 5, 1.5)));

        ServiceEntry payments = (ServiceEntry) result.resources().get(2);
        assertThat(payments.addresses()).containsExactly("10.10.0.0/16");
        assertThat(payments.ports()).containsExactly(new ServiceEntry.Port(443, "TLS", "https", null),
                new ServiceEntry.Port(80, "HTTP", "http", 8080));
        assertThat(payments.location()).isEqualTo(ServiceEntry.Location.MESH_EXTERNAL);
        assertThat(payments.resolution()).isEqualTo(ServiceEntry.Resolution.STATIC);
        assertThat(payments.endpoints()).containsExactly(new WorkloadEntry.Spec("10.10.0.7",
                Map.of("https", 8443), Map.of("zone", "a"), "net-1", "eu/west/a", 3, "payments"));
        assertThat(payments.subjectAltNames()).containsExactly("spiffe://example.com/payments");

        ServiceEntry legacy = (ServiceEntry) result.resources().get(3);
        assertThat(legacy.workloadSelector()).isEqualTo(Map.of("app", "legacy"));
        assertThat(legacy.location()).isEqualTo(ServiceEntry.Location.MESH_INTERNAL);

        WorkloadEntry vm = (WorkloadEntry) result.resources().get(4);
        assertThat(vm.spec()).isEqualTo(new WorkloadEntry.Spec("legacy-vm-1.example.com", Map.of("http", 8080),
                Map.of("app", "legacy", "version", "v1"), null, null, null, "legacy"));
    }
}
