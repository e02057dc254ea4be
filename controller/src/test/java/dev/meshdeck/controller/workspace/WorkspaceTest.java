package dev.meshdeck.controller.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.Kind;
import dev.meshdeck.controller.config.ResourceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
    private static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-24T10:05:00Z");
    private static final Instant T3 = Instant.parse("2026-11-24T10:09:00Z");

    private static final StoredDocument VS_V1 = doc(Kind.VIRTUAL_SERVICE, "reviews", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews   # the reviews service
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
            """);
    private static final StoredDocument VS_V2 = doc(Kind.VIRTUAL_SERVICE, "reviews",
            VS_V1.yaml().replace("subset: v1", "subset: v2"));
    private static final StoredDocument DR = doc(Kind.DESTINATION_RULE, "reviews", """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec: {host: reviews}
            """);
    private static final StoredDocument SE = doc(Kind.SERVICE_ENTRY, "httpbin", "kind: ServiceEntry\n");

    @TempDir
    Path dir;

    @Test
    void startsEmptyAtRevisionZero() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.current()).isEmpty();
            assertThat(ws.revisions()).isEmpty();
            assertThat(ws.currentInfo().number()).isZero();
            assertThat(ws.revision(0).documents()).isEmpty();
        }
    }

    @Test
    void commitsNumberedRevisionsWithWhatChangedInTheSummary() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            RevisionInfo r1 = ws.commit(List.of(VS_V1, DR), "bookinfo.yaml", T1);
            RevisionInfo r2 = ws.commit(List.of(VS_V2, SE), "canary.yaml\nhttpbin.yaml", T2);
            assertThat(r1).isEqualTo(new RevisionInfo(1, T1, "bookinfo.yaml", 2, "+2 ~0 -0"));
            assertThat(r2).isEqualTo(new RevisionInfo(2, T2, "canary.yaml httpbin.yaml", 2, "+1 ~1 -1"));
            assertThat(ws.revisions()).containsExactly(r1, r2);
            assertThat(ws.current()).containsExactly(VS_V2, SE);
        }
    }

    @Test
    void committingTheLiveConfigAgainChangesNothing() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            RevisionInfo r1 = ws.commit(List.of(VS_V1, DR), "a.yaml", T1);
            StoredDocument drWithExtraBreaks = new StoredDocument(DR.key(), DR.yaml() + "\n\n");
            assertThat(ws.commit(List.of(drWithExtraBreaks, VS_V1), "b.yaml", T2)).isEqualTo(r1);
            assertThat(ws.revisions()).containsExactly(r1);
        }
        assertThat(Files.list(dir.resolve("revisions"))).hasSize(2);
    }

    @Test
    void keepsEveryRevisionExactlyAsWrittenAcrossARestart() throws IOException {
        StoredDocument tricky = doc(Kind.WORKLOAD_ENTRY, "odd", "---\n# VirtualService default/reviews\n"
                + "kind: WorkloadEntry\nspec:\n  note: |\n    ---\n    ünïcödé\n---\n");
        try (Workspace ws = Workspace.open(dir)) {
            ws.commit(List.of(VS_V1, DR, tricky), "a.yaml", T1);
            ws.commit(List.of(VS_V2), "b.yaml", T2);
        }
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.currentInfo()).isEqualTo(new RevisionInfo(2, T2, "b.yaml", 1, "+0 ~1 -2"));
            assertThat(ws.current()).containsExactly(VS_V2);
            assertThat(ws.revision(1).documents()).containsExactly(VS_V1, DR, tricky);
            assertThat(ws.revision(1).info().summary()).isEqualTo("+3 ~0 -0");
        }
    }

    @Test
    void storesRevisionsAsReadableFiles() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            ws.commit(List.of(DR, VS_V1), "a.yaml", T1);
        }
        assertThat(Files.readString(dir.resolve("current"))).isEqualTo("1\n");
        assertThat(Files.readString(dir.resolve("revisions/000001.yaml")))
                .startsWith("# VirtualService default/reviews\napiVersion: networking.istio.io/v1\n")
                .contains("\n---\n# DestinationRule default/reviews\n");
        assertThat(Files.readString(dir.resolve("revisions/000001.json")))
                .contains("\"source\" : \"a.yaml\"", "\"time\" : \"2026-11-24T10:00:00Z\"", "\"kind\" : \"DestinationRule\"");
    }

    @Test
    void takesTheTimeFromTheInjectedClock() throws IOException {
        try (Workspace ws = Workspace.open(dir, Clock.fixed(T3, ZoneOffset.UTC))) {
            assertThat(ws.commit(List.of(SE), "se.yaml").time()).isEqualTo(T3);
        }
    }

    @Test
    void rejectsTwoDocumentsWithTheSameKey() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            assertThatThrownBy(() -> ws.commit(List.of(VS_V1, VS_V2), "a.yaml", T1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("two documents for VirtualService default/reviews");
            assertThat(ws.revisions()).isEmpty();
        }
    }

    @Test
    void readsOldRevisionsAndRefusesUnknownOnes() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            ws.commit(List.of(VS_V1), "a.yaml", T1);
            ws.commit(List.of(VS_V2), "b.yaml", T2);
            assertThat(ws.revision(1).documents()).containsExactly(VS_V1);
            assertThat(ws.revision(2).info().number()).isEqualTo(2);
            assertThatThrownBy(() -> ws.revision(3)).isInstanceOf(NoSuchElementException.class)
                    .hasMessage("revision 3 does not exist (the live revision is 2)");
            assertThatThrownBy(() -> ws.revision(-1)).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void diffsRevisionsAsUnifiedDiffs() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            ws.commit(List.of(VS_V1), "a.yaml", T1);
            ws.commit(List.of(VS_V2), "b.yaml", T2);
            assertThat(ws.diff(1, 2)).isEqualTo("""
                    --- revision 1
                    +++ revision 2
                    @@ -7,4 +7,4 @@
                       hosts: [reviews]
                       http:
                       - route:
                    -    - destination: {host: reviews, subset: v1}
                    +    - destination: {host: reviews, subset: v2}
                    """);
            assertThat(ws.diff(2, 2)).isEmpty();
            assertThat(ws.diff(0, 1)).startsWith("--- revision 0\n+++ revision 1\n@@ -0,0 +1,10 @@\n+# VirtualService default/reviews\n");
            assertThat(ws.diffAgainstCurrent(List.of(VS_V2, SE))).startsWith("--- revision 2\n+++ proposed\n")
                    .contains("+# ServiceEntry default/httpbin\n+kind: ServiceEntry\n");
            assertThat(Workspace.diff(List.of(SE), List.of())).isEqualTo("""
                    --- before
                    +++ after
                    @@ -1,2 +0,0 @@
                    -# ServiceEntry default/httpbin
                    -kind: ServiceEntry
                    """);
        }
    }

    @Test
    void aSecondControllerCannotOpenTheSameWorkspace() throws IOException {
        try (Workspace first = Workspace.open(dir)) {
            assertThatThrownBy(() -> Workspace.open(dir))
                    .isInstanceOf(WorkspaceLockedException.class)
                    .hasMessageContaining("workspace " + dir.toAbsolutePath() + " is in use by another meshdeck controller (pid "
                            + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("--workspace DIR");
            assertThat(first.current()).isEmpty();
        }
        try (Workspace again = Workspace.open(dir)) {
            assertThat(again.current()).isEmpty();
        }
    }

    @Test
    void refusesUseAfterClose() throws IOException {
        Workspace ws = Workspace.open(dir);
        ws.close();
        assertThatThrownBy(ws::current).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void ignoresARevisionWhoseMetadataWasNeverWritten() throws IOException {
        twoRevisions();
        // a crash after writing the YAML of revision 3 but before its metadata
        Files.writeString(dir.resolve("revisions/000003.yaml"), "# ServiceEntry default/httpbin\nkind: ServiceEntry\n");
        Files.writeString(dir.resolve("revisions/.000003.json.12345.tmp"), "{\"number\":");
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.currentInfo().number()).isEqualTo(2);
            assertThat(ws.current()).containsExactly(VS_V2);
            assertThat(dir.resolve("revisions/.000003.json.12345.tmp")).doesNotExist();
            RevisionInfo r3 = ws.commit(List.of(DR), "c.yaml", T3);
            assertThat(r3.number()).isEqualTo(3);
            assertThat(ws.revision(3).documents()).containsExactly(DR);
        }
    }

    @Test
    void discardsARevisionWrittenButNeverMadeLive() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            ws.commit(List.of(VS_V1), "a.yaml", T1);
            ws.commit(List.of(VS_V2), "b.yaml", T2);
        }
        // a crash after both files of revision 2 were written but before the pointer moved
        Files.writeString(dir.resolve("current"), "1\n");
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.currentInfo().number()).isEqualTo(1);
            assertThat(ws.current()).containsExactly(VS_V1);
            assertThat(ws.revisions()).extracting(RevisionInfo::number).containsExactly(1);
            assertThat(ws.commit(List.of(SE), "c.yaml", T3).number()).isEqualTo(2);
            assertThat(ws.revision(2).documents()).containsExactly(SE);
        }
    }

    @Test
    void aPointerToAMissingRevisionFallsBackToTheNewestCompleteOne() throws IOException {
        twoRevisions();
        Files.writeString(dir.resolve("current"), "9\n");
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.currentInfo().number()).isEqualTo(2);
        }
        assertThat(Files.readString(dir.resolve("current"))).isEqualTo("2\n");
        Files.delete(dir.resolve("current"));
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.current()).containsExactly(VS_V2);
        }
        Files.writeString(dir.resolve("current"), "garbage");
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.currentInfo().number()).isEqualTo(2);
        }
    }

    @Test
    void ignoresARevisionWhoseYamlDoesNotMatchItsMetadata() throws IOException {
        twoRevisions();
        Files.writeString(dir.resolve("revisions/000002.yaml"), "# VirtualService default/reviews\nkind: Other\n");
        Files.delete(dir.resolve("current"));
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.currentInfo().number()).isEqualTo(1);
            assertThat(ws.current()).containsExactly(VS_V1);
        }
    }

    @Test
    void defaultDirectoryIsTheEnvironmentVariableOrUnderTheHomeDirectory() {
        assertThat(Workspace.defaultDirectory(Map.of("MESHDECK_WORKSPACE", "/srv/mesh"), "/home/ana"))
                .isEqualTo(Path.of("/srv/mesh"));
        assertThat(Workspace.defaultDirectory(Map.of(), "/home/ana")).isEqualTo(Path.of("/home/ana/.meshdeck/workspace"));
    }

    private void twoRevisions() throws IOException {
        try (Workspace ws = Workspace.open(dir)) {
            ws.commit(List.of(VS_V1), "a.yaml", T1);
            ws.commit(List.of(VS_V2), "b.yaml", T2);
        }
    }

    private static StoredDocument doc(Kind kind, String name, String yaml) {
        return new StoredDocument(new ResourceKey(kind, "default", name), yaml);
    }
}
