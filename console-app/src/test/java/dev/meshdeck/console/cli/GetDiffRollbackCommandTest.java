package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetDiffRollbackCommandTest extends CliFixture {

    /** Revision 1: Bookinfo all on v1, and a rule in namespace prod; revision 2: reviews split 80/20. */
    @BeforeEach
    void twoRevisions() throws IOException {
        controlPlane.apply(List.of(source("bookinfo/destination-rule-all.yaml"), source("bookinfo/virtual-service-all-v1.yaml"),
                source("more/reviews-prod.yaml")), false, false);
        controlPlane.apply(List.of(source("bookinfo/virtual-service-reviews-80-20.yaml")), false, false);
    }

    @Test
    void listsResourcesAsATable() {
        assertThat(run("get", "all")).isEqualTo(new Run(0, """
                KIND              NAMESPACE   NAME
                VirtualService    default     details
                VirtualService    default     productpage
                VirtualService    default     ratings
                VirtualService    default     reviews
                DestinationRule   default     details
                DestinationRule   default     productpage
                DestinationRule   default     ratings
                DestinationRule   default     reviews
                DestinationRule   prod        reviews
                """, ""));
        assertThat(run("get", "dr", "-n", "prod").out()).isEqualTo("""
                KIND              NAMESPACE   NAME
                DestinationRule   prod        reviews
                """);
        assertThat(run("get", "DestinationRule", "reviews").out()).isEqualTo("""
                KIND              NAMESPACE   NAME
                DestinationRule   default     reviews
                DestinationRule   prod        reviews
                """);
    }

    @Test
    void printsResourcesAsWrittenAndAsYamlThatApplyTakesBack() throws IOException {
        assertThat(run("get", "vs", "reviews", "-o", "yaml").out())
                .isEqualTo(fixture("bookinfo/virtual-service-reviews-80-20.yaml"));
        Run all = run("get", "all", "-o", "yaml");
        assertThat(all.out().split("(?m)^---\n")).hasSize(9);
        assertThat(runWithStdin(all.out(), "apply", "--replace", "-f", "-").out()).isEqualTo("unchanged (revision 2)\n");
    }

    @Test
    void findsOneResourceByNameOrSaysItIsNotThere() {
        assertThat(run("get", "vs", "reviews", "-o", "yaml").out()).contains("name: reviews").doesNotContain("DestinationRule");
        assertThat(run("get", "vs", "reviews-v9")).isEqualTo(new Run(1, "", "meshdeck get: no VirtualService named 'reviews-v9'\n"));
        assertThat(run("get", "se")).isEqualTo(new Run(0, "", "no resources found\n"));
        assertThat(run("get", "dr", "-n", "staging").err()).isEqualTo("no resources found in namespace staging\n");
    }

    @Test
    void listsRevisionsAndShowsOne() throws IOException {
        String table = run("get", "revisions").out();
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table.lines().findFirst().orElseThrow()).isEqualTo("REVISION   TIME                   RESOURCES   SUMMARY    SOURCE");
        assertThat(table).containsPattern("\n1 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +9 +\\+9 ~0 -0 +"
                        + "destination-rule-all.yaml, virtual-service-all-v1.yaml, reviews-prod.yaml\n")
                .containsPattern("\n2 .* +9 +\\+0 ~1 -0 +virtual-service-reviews-80-20.yaml\n");
        String revision1 = run("get", "revision", "1").out();
        assertThat(revision1).startsWith(fixture("bookinfo/virtual-service-all-v1.yaml").split("(?m)^---\n")[3] + "---\n")
                .doesNotContain("weight");
        assertThat(revision1.split("(?m)^---\n")).hasSize(9);
        assertThat(run("get", "revision", "1", "-o", "table").out()).contains("DestinationRule   prod        reviews");
    }

    @Test
    void badRequestsAreUsageErrorsAndUnknownRevisionsFailures() {
        Run unknown = run("get", "gateways");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("unknown WHAT 'gateways' (expected one of: vs, dr, se, we, all, revisions, revision)");
        assertThat(run("get", "revision").exitCode()).isEqualTo(2);
        assertThat(run("get", "revision", "two").err()).startsWith("revision 'two' (expected: a number)");
        assertThat(run("get", "revision", "9"))
                .isEqualTo(new Run(1, "", "meshdeck get: revision 9 does not exist (the live revision is 2)\n"));
        assertThat(run("get", "all", "-o", "json").exitCode()).isEqualTo(2);
    }

    @Test
    void diffsTwoRevisions() {
        assertThat(run("diff", "1", "2")).isEqualTo(new Run(0, """
                --- revision 1
                +++ revision 2
                @@ -41,18 +41,23 @@
                         subset: v1
                 ---
                 # VirtualService default/reviews
                -apiVersion: networking.istio.io/v1
                +apiVersion: networking.istio.io/v1alpha3
                 kind: VirtualService
                 metadata:
                   name: reviews
                 spec:
                   hosts:
                -  - reviews
                +    - reviews
                   http:
                   - route:
                     - destination:
                         host: reviews
                         subset: v1
                +      weight: 80
                +    - destination:
                +        host: reviews
                +        subset: v2
                +      weight: 20
                 ---
                 # DestinationRule default/details
                 apiVersion: networking.istio.io/v1
                """, ""));
        assertThat(run("diff", "2", "2")).isEqualTo(new Run(0, "", "revisions 2 and 2 have the same config\n"));
        assertThat(run("diff", "1").exitCode()).isEqualTo(2);
    }

    @Test
    void rollsBackToAnOldRevisionAsANewOne() {
        assertThat(run("rollback", "1")).isEqualTo(new Run(0, "rolled back to revision 1 as revision 3\n", ""));
        assertThat(controlPlane.revisions().get(2).source()).isEqualTo("rollback to 1");
        assertThat(controlPlane.diff(1, 3)).isEmpty();
        assertThat(run("rollback", "3")).isEqualTo(new Run(0, "unchanged (revision 3 already has revision 3's config)\n", ""));
        assertThat(run("rollback", "7").exitCode()).isEqualTo(1);
    }
}
