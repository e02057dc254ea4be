package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.api.SourceFile;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetDiffRollbackCommandTest extends CliFixture {

    @BeforeEach
    void twoRevisions() {
        controlPlane.apply(List.of(new SourceFile("a.yaml", VS + "---\n" + DR)), false, false);
        controlPlane.apply(List.of(new SourceFile("b.yaml", VS.replace("[reviews]", "[reviews, ratings]"))), false, false);
    }

    @Test
    void listsResourcesAsATable() {
        assertThat(run("get", "all")).isEqualTo(new Run(0, """
                KIND              NAMESPACE   NAME
                VirtualService    default     reviews
                DestinationRule   prod        reviews
                """, ""));
        assertThat(run("get", "dr").out()).isEqualTo("""
                KIND              NAMESPACE   NAME
                DestinationRule   prod        reviews
                """);
        assertThat(run("get", "VirtualService", "-n", "default").out()).isEqualTo("""
                KIND             NAMESPACE   NAME
                VirtualService   default     reviews
                """);
    }

    @Test
    void printsResourcesAsYamlThatApplyTakesBack() {
        Run r = run("get", "all", "-o", "yaml");
        assertThat(r.out()).isEqualTo(VS.replace("[reviews]", "[reviews, ratings]") + "---\n" + DR);
        assertThat(runWithStdin(r.out(), "apply", "--replace", "-f", "-").out()).isEqualTo("unchanged (revision 2)\n");
    }

    @Test
    void findsOneResourceByNameOrSaysItIsNotThere() {
        assertThat(run("get", "vs", "reviews", "-o", "yaml").out()).contains("name: reviews").doesNotContain("DestinationRule");
        assertThat(run("get", "vs", "ratings")).isEqualTo(new Run(1, "", "meshdeck get: no VirtualService named 'ratings'\n"));
        assertThat(run("get", "se")).isEqualTo(new Run(0, "", "no resources found\n"));
        assertThat(run("get", "dr", "-n", "staging").err()).isEqualTo("no resources found in namespace staging\n");
    }

    @Test
    void listsRevisionsAndShowsOne() {
        String table = run("get", "revisions").out();
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table.lines().findFirst().orElseThrow()).isEqualTo("REVISION   TIME                   RESOURCES   SUMMARY    SOURCE");
        assertThat(table).containsPattern("\n1 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +2 +\\+2 ~0 -0 +a.yaml\n")
                .containsPattern("\n2 .* +\\+0 ~1 -0 +b.yaml\n");
        assertThat(run("get", "revision", "1").out()).isEqualTo(VS + "---\n" + DR);
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
                @@ -4,7 +4,7 @@
                 metadata:
                   name: reviews
                 spec:
                -  hosts: [reviews]
                +  hosts: [reviews, ratings]
                 ---
                 # DestinationRule prod/reviews
                 apiVersion: networking.istio.io/v1
                """, ""));
        assertThat(run("diff", "2", "2")).isEqualTo(new Run(0, "", "revisions 2 and 2 have the same config\n"));
        assertThat(run("diff", "1").exitCode()).isEqualTo(2);
    }

    @Test
    void rollsBackToAnOldRevisionAsANewOne() {
        assertThat(run("rollback", "1")).isEqualTo(new Run(0, "rolled back to revision 1 as revision 3\n", ""));
        assertThat(controlPlane.revisions().get(2).source()).isEqualTo("rollback to 1");
        assertThat(run("rollback", "3")).isEqualTo(new Run(0, "unchanged (revision 3 already has revision 3's config)\n", ""));
        assertThat(run("rollback", "7").exitCode()).isEqualTo(1);
    }
}
