package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.config.Kind;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApplyCommandTest extends CliFixture {

    @Test
    void appliesFilesAndThenReportsThemUnchanged() throws IOException {
        Path rules = fixtureFile("bookinfo/destination-rule-all.yaml");
        Path routes = fixtureFile("bookinfo/virtual-service-all-v1.yaml");
        assertThat(run("apply", "-f", rules.toString(), "-f", routes.toString()))
                .isEqualTo(new Run(0, "applied revision 1\n", ""));
        assertThat(run("apply", "-f", routes.toString())).isEqualTo(new Run(0, "unchanged (revision 1)\n", ""));
        assertThat(controlPlane.revisions()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo(rules + ", " + routes);
            assertThat(r.resources()).isEqualTo(8);
        });
    }

    @Test
    void readsStandardInputAndEveryYamlFileOfADirectoryInNameOrder() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("config"));
        Files.writeString(dir.resolve("b.yml"), fixture("bookinfo/virtual-service-ratings-test-delay.yaml"));
        Files.writeString(dir.resolve("a.yaml"), fixture("bookinfo/destination-rule-all.yaml"));
        Files.writeString(dir.resolve("notes.txt"), "not config");
        String stdin = fixture("bookinfo/virtual-service-reviews-80-20.yaml");
        assertThat(runWithStdin(stdin, "apply", "-f", dir.toString(), "-f", "-").out())
                .isEqualTo("applied revision 1\n");
        assertThat(controlPlane.revisions().get(0).source())
                .isEqualTo(dir.resolve("a.yaml") + ", " + dir.resolve("b.yml") + ", <stdin>");
        assertThat(controlPlane.revisions().get(0).resources()).isEqualTo(6);
        assertThat(controlPlane.config(Optional.of(Kind.VIRTUAL_SERVICE))).extracting(d -> d.key().name())
                .containsExactly("ratings", "reviews");
    }

    @Test
    void aDryRunPrintsValidAndTheDiffAndChangesNothing() throws IOException {
        Path f = fixtureFile("bookinfo/destination-rule-all.yaml");
        Run r = run("apply", "--dry-run", "-f", f.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("valid\n--- revision 0\n+++ proposed\n@@ -0,0 +1,65 @@\n"
                + "+# DestinationRule default/details\n+apiVersion: networking.istio.io/v1\n")
                .contains("+---\n+# DestinationRule default/reviews\n")
                .endsWith("+  - name: v3\n+    labels:\n+      version: v3\n");
        assertThat(controlPlane.revisions()).isEmpty();
        run("apply", "-f", f.toString());
        assertThat(run("apply", "--dry-run", "-f", f.toString()).out()).isEqualTo("valid\nno changes to revision 1\n");
    }

    @Test
    void replaceRemovesWhatTheFilesDoNotHold() throws IOException {
        Path rules = fixtureFile("bookinfo/destination-rule-all.yaml");
        Path routes = fixtureFile("bookinfo/virtual-service-all-v1.yaml");
        run("apply", "-f", rules.toString(), "-f", routes.toString());
        assertThat(run("apply", "--replace", "-f", rules.toString()).out()).isEqualTo("applied revision 2\n");
        assertThat(controlPlane.revisions().get(1).summary()).isEqualTo("+0 ~0 -4");
        assertThat(controlPlane.config(Optional.of(Kind.VIRTUAL_SERVICE))).isEmpty();
    }

    @Test
    void printsEachErrorOnItsOwnLineAndExitsOne() throws IOException {
        Path f = fixtureFile("more/two-errors.yaml");
        Run r = run("apply", "-f", f.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(f + ":2: document 1: kind: kind Gateway is not supported by Meshdeck (expected one of:"
                + " VirtualService, DestinationRule, ServiceEntry, WorkloadEntry)\n"
                + f + ":15: document 2 (VirtualService default/reviews): spec.http[0].route[0].weight: 120 (expected: 0..100)\n");
        assertThat(controlPlane.revisions()).isEmpty();
    }

    @Test
    void aRouteToASubsetNoRuleDefinesIsRefusedWithItsLine() throws IOException {
        Path routes = fixtureFile("bookinfo/virtual-service-reviews-80-20.yaml");
        Run r = run("apply", "-f", routes.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith(routes + ":12: document 1 (VirtualService default/reviews):"
                + " spec.http[0].route[0].destination.subset: subset v1 of host reviews.default.svc.cluster.local is not defined");
        assertThat(r.err().lines()).hasSize(2);
        assertThat(controlPlane.revisions()).isEmpty();
    }

    @Test
    void refusesAFileOverTenMegabytesWithoutReadingIt() throws IOException {
        Path big = tmp.resolve("big.yaml");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(dev.meshdeck.controller.api.SourceFiles.MAX_FILE_BYTES + 1);
        }
        Run r = run("apply", "-f", big.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("meshdeck apply: " + big + ": 10485761 bytes (expected: at most 10485760 bytes, 10 MiB)\n");
        assertThat(controlPlane.revisions()).isEmpty();
    }

    @Test
    void aMissingFileOrAnEmptyDirectoryIsAClearError() throws IOException {
        assertThat(run("apply", "-f", tmp.resolve("nope.yaml").toString()))
                .isEqualTo(new Run(1, "", "meshdeck apply: " + tmp.resolve("nope.yaml") + ": no such file\n"));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(run("apply", "-f", empty.toString()).err()).contains("no *.yaml or *.yml files");
    }

    @Test
    void withoutAFileItIsAUsageError() {
        Run r = run("apply");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--filename=FILE'");
    }
}
