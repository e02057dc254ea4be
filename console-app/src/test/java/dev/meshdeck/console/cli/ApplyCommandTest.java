package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApplyCommandTest extends CliFixture {

    @Test
    void appliesAFileAndThenReportsItUnchanged() throws IOException {
        Path f = Files.writeString(tmp.resolve("bookinfo.yaml"), VS + "---\n" + DR);
        assertThat(run("apply", "-f", f.toString())).isEqualTo(new Run(0, "applied revision 1\n", ""));
        assertThat(run("apply", "-f", f.toString())).isEqualTo(new Run(0, "unchanged (revision 1)\n", ""));
        assertThat(controlPlane.revisions().get(0).source()).isEqualTo(f.toString());
    }

    @Test
    void readsStandardInputAndEveryYamlFileOfADirectoryInNameOrder() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("config"));
        Files.writeString(dir.resolve("b.yml"), DR);
        Files.writeString(dir.resolve("a.yaml"), VS);
        Files.writeString(dir.resolve("notes.txt"), "not config");
        assertThat(runWithStdin(VS.replace("reviews", "ratings"), "apply", "-f", dir.toString(), "-f", "-").out())
                .isEqualTo("applied revision 1\n");
        assertThat(controlPlane.revisions().get(0).source())
                .isEqualTo(dir.resolve("a.yaml") + ", " + dir.resolve("b.yml") + ", <stdin>");
        assertThat(controlPlane.revisions().get(0).resources()).isEqualTo(3);
    }

    @Test
    void aDryRunPrintsValidAndTheDiffAndChangesNothing() throws IOException {
        Path f = Files.writeString(tmp.resolve("vs.yaml"), VS);
        Run r = run("apply", "--dry-run", "-f", f.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("valid\n--- revision 0\n+++ proposed\n@@ -0,0 +1,7 @@\n+# VirtualService default/reviews\n");
        assertThat(controlPlane.revisions()).isEmpty();
        run("apply", "-f", f.toString());
        assertThat(run("apply", "--dry-run", "-f", f.toString()).out()).isEqualTo("valid\nno changes to revision 1\n");
    }

    @Test
    void replaceRemovesWhatTheFilesDoNotHold() throws IOException {
        Path both = Files.writeString(tmp.resolve("both.yaml"), VS + "---\n" + DR);
        Path vs = Files.writeString(tmp.resolve("vs.yaml"), VS);
        run("apply", "-f", both.toString());
        assertThat(run("apply", "--replace", "-f", vs.toString()).out()).isEqualTo("applied revision 2\n");
        assertThat(controlPlane.revisions().get(1).summary()).isEqualTo("+0 ~0 -1");
    }

    @Test
    void printsEachErrorOnItsOwnLineAndExitsOne() throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.yaml"), "kind: Gateway\n---\nkind: VirtualService\n");
        Run r = run("apply", "-f", f.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(f + ":1: document 1: kind: unknown kind (expected one of VirtualService,"
                + " DestinationRule, ServiceEntry, WorkloadEntry)\n" + f + ": document 2: metadata.name: missing\n");
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
