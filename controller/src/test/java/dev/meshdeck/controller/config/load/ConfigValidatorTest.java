package dev.meshdeck.controller.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meshdeck.controller.config.ConfigError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks across documents and files, each error pointing at the offending field of the later document. */
class ConfigValidatorTest {
    private static final String REVIEWS_RULE = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
            spec:
              host: reviews
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """;

    private final ConfigLoader loader = new ConfigLoader();
    private final ConfigValidator validator = new ConfigValidator();

    /** Loads each (file name, text) pair, requiring each to be valid on its own. */
    private List<LoadedDocument> load(String... fileAndText) {
        List<LoadedDocument> docs = new ArrayList<>();
        for (int i = 0; i < fileAndText.length; i += 2) {
            LoadResult result = loader.load(fileAndText[i], fileAndText[i + 1]);
            assertThat(result.errors()).as(fileAndText[i]).isEmpty();
            docs.addAll(result.documents());
        }
        return docs;
    }

    private ConfigError onlyError(String... fileAndText) {
        List<ConfigError> errors = validator.validate(load(fileAndText));
        assertThat(errors).hasSize(1);
        return errors.getFirst();
    }

    @Test
    void acceptsRoutesToSubsetsTheirDestinationRuleDefines() {
        List<ConfigError> errors = validator.validate(load("rules.yaml", REVIEWS_RULE, "routes.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews.default.svc.cluster.local, subset: v1}
                      weight: 50
                    - destination: {host: reviews, subset: v2}
                      weight: 50
                    mirror: {host: reviews.default, subset: v1}
                """));

        assertThat(errors).isEmpty();
    }

    @Test
    void rejectsRouteWithUnknownSubset() {
        ConfigError e = onlyError("rules.yaml", REVIEWS_RULE, "routes.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: ratings
                spec:
                  hosts: [ratings]
                  http:
                  - route:
                    - destination:
                        host: reviews
                        subset: v3
                """);

        assertThat(e.file()).isEqualTo("routes.yaml");
        assertThat(e.document()).isEqualTo(2);
        assertThat(e.resource()).isEqualTo("VirtualService default/ratings");
        assertThat(e.field()).isEqualTo("spec.http[0].route[0].destination.subset");
        assertThat(e.line()).isEqualTo(20);
        assertThat(e.message()).isEqualTo("subset v3 is not defined by DestinationRule default/reviews"
                + " (rules.yaml document 1, line 7; expected one of: v1, v2)");
        assertThat(e.toString()).startsWith("routes.yaml:20: document 2 (VirtualService default/ratings):"
                + " spec.http[0].route[0].destination.subset: subset v3 is not defined");
    }

    @Test
    void rejectsSubsetOfAHostWithoutDestinationRule() {
        ConfigError e = onlyError("routes.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                  - route:
                    - destination: {host: ratings, subset: v1}
                """);

        assertThat(e.field()).isEqualTo("spec.http[0].route[0].destination.subset");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.message()).isEqualTo("subset v1 of host ratings.default.svc.cluster.local is not defined"
                + " (expected: a DestinationRule for ratings.default.svc.cluster.local with that subset)");
    }

    @Test
    void rejectsMirrorWithUnknownSubset() {
        List<ConfigError> errors = validator.validate(load("rules.yaml", REVIEWS_RULE, "routes.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                    mirror:
                      host: reviews
                      subset: v9
                  - route:
                    - destination: {host: reviews, subset: v1}
                    mirrors:
                    - destination:
                        host: reviews
                        subset: v8
                """));

        assertThat(errors).extracting(ConfigError::field, ConfigError::line).containsExactly(
                tuple("spec.http[0].mirror.subset", 11),
                tuple("spec.http[1].mirrors[0].destination.subset", 17));
        assertThat(errors.get(0).message()).startsWith("subset v9 is not defined by DestinationRule default/reviews");
    }

    @Test
    void resolvesShortHostsInTheNamespaceOfTheResourceThatWritesThem() {
        String prodRule = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: prod}
                spec:
                  host: reviews
                  subsets: [{name: v3, labels: {version: v3}}]
                """;
        String fromDefault = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.prod]
                  http:
                  - route:
                    - destination: {host: reviews.prod, subset: v3}
                """;
        String shortFromDefault = fromDefault.replace("host: reviews.prod,", "host: reviews,");

        assertThat(validator.validate(load("prod.yaml", prodRule, "routes.yaml", fromDefault))).isEmpty();
        assertThat(validator.validate(load("default.yaml", REVIEWS_RULE, "prod.yaml", prodRule,
                "routes.yaml", shortFromDefault)))
                .singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("subset v3 is not defined by DestinationRule default/reviews"));
    }

    @Test
    void findsSubsetsOfAWildcardDestinationRule() {
        List<ConfigError> errors = validator.validate(load("rules.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: external}
                spec:
                  host: "*.example.com"
                  subsets: [{name: blue, labels: {color: blue}}]
                """, "routes.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                  http:
                  - route:
                    - destination: {host: api.example.com, subset: blue}
                """));

        assertThat(errors).isEmpty();
    }

    @Test
    void rejectsDuplicateResourcesPointingAtTheSecondAndNamingTheFirst() {
        ConfigError e = onlyError("a.yaml", REVIEWS_RULE, "b.yaml", """
                # the same rule again
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata:
                  name: reviews
                  namespace: default
                spec:
                  host: reviews
                """);

        assertThat(e.file()).isEqualTo("b.yaml");
        assertThat(e.document()).isEqualTo(1);
        assertThat(e.resource()).isEqualTo("DestinationRule default/reviews");
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.message()).isEqualTo("duplicate DestinationRule default/reviews (first defined in a.yaml document 1, line 4)");
    }

    @Test
    void acceptsTheSameNameInAnotherNamespaceOrOfAnotherKind() {
        List<ConfigError> errors = validator.validate(load("a.yaml", REVIEWS_RULE, "b.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: prod}
                spec: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews}}]}]
                """));

        assertThat(errors).isEmpty();
    }

    @Test
    void rejectsTwoDestinationRulesForOneHost() {
        ConfigError e = onlyError("a.yaml", REVIEWS_RULE, "b.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: reviews-tls
                spec:
                  host: reviews.default.svc.cluster.local
                  trafficPolicy:
                    tls: {mode: ISTIO_MUTUAL}
                """);

        assertThat(e.file()).isEqualTo("b.yaml");
        assertThat(e.resource()).isEqualTo("DestinationRule default/reviews-tls");
        assertThat(e.field()).isEqualTo("spec.host");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.message()).isEqualTo("host reviews.default.svc.cluster.local already has DestinationRule"
                + " default/reviews (a.yaml document 1, line 6; expected: one DestinationRule per host, as Istio"
                + " would use only one of them)");
    }

    @Test
    void acceptsAServiceEntryThatSelectsWorkloadEntries() {
        List<ConfigError> errors = validator.validate(load("legacy.yaml", """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: legacy}
                spec:
                  hosts: [legacy.default.svc.cluster.local]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  workloadSelector:
                    labels: {app: legacy}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: legacy-vm}
                spec:
                  address: 10.0.0.9
                  labels: {app: legacy, version: v1}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: legacy}
                spec:
                  host: legacy
                  subsets: [{name: v1, labels: {version: v1}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: legacy}
                spec:
                  hosts: [legacy]
                  http: [{route: [{destination: {host: legacy, subset: v1}}]}]
                """));

        assertThat(errors).isEmpty();
    }
}
