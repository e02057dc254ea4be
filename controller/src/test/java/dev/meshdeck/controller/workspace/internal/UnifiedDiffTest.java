package dev.meshdeck.controller.workspace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.controller.workspace.internal.LineDiff.Edit;
import dev.meshdeck.controller.workspace.internal.LineDiff.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    @Test
    void equalTextsHaveAnEmptyDiff() {
        assertThat(UnifiedDiff.of("a", "x\ny\n", "b", "x\ny\n")).isEmpty();
        assertThat(UnifiedDiff.of("a", "", "b", "")).isEmpty();
    }

    @Test
    void changedLineIsShownWithThreeLinesOfContextLikeDiffU() {
        String a = lines(1, 10);
        String b = a.replace("5\n", "five\n");
        assertThat(UnifiedDiff.of("revision 3", a, "revision 4", b)).isEqualTo("""
                --- revision 3
                +++ revision 4
                @@ -2,7 +2,7 @@
                 2
                 3
                 4
                -5
                +five
                 6
                 7
                 8
                """);
    }

    @Test
    void changesFarApartGoInSeparateHunksAndNearOnesShareOne() {
        String a = lines(1, 20);
        String far = ("\n" + a).replace("\n2\n", "\ntwo\n").replace("\n18\n", "\neighteen\n").substring(1);
        assertThat(UnifiedDiff.of("a", a, "b", far)).isEqualTo("""
                --- a
                +++ b
                @@ -1,5 +1,5 @@
                 1
                -2
                +two
                 3
                 4
                 5
                @@ -15,6 +15,6 @@
                 15
                 16
                 17
                -18
                +eighteen
                 19
                 20
                """);
        String near = a.replace("\n5\n", "\nfive\n").replace("\n11\n", "\neleven\n");
        assertThat(UnifiedDiff.of("a", a, "b", near)).contains("@@ -2,13 +2,13 @@").containsOnlyOnce("@@ -");
    }

    @Test
    void diffFromNothingIsAllInsertionsFromLineZero() {
        assertThat(UnifiedDiff.of("revision 0", "", "revision 1", "x\ny\n")).isEqualTo("""
                --- revision 0
                +++ revision 1
                @@ -0,0 +1,2 @@
                +x
                +y
                """);
        assertThat(UnifiedDiff.of("a", "x\n", "b", "")).isEqualTo("""
                --- a
                +++ b
                @@ -1 +0,0 @@
                -x
                """);
    }

    @Test
    void insertionInTheMiddleStartsAfterThePrecedingLine() {
        assertThat(UnifiedDiff.of("a", "1\n2\n", "b", "1\nnew\n2\n")).isEqualTo("""
                --- a
                +++ b
                @@ -1,2 +1,3 @@
                 1
                +new
                 2
                """);
    }

    @Test
    void editScriptRebuildsBothSidesAndIsMinimalOnRandomInputs() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<String> a = randomLines(random);
            List<String> b = randomLines(random);
            List<Edit> edits = LineDiff.diff(a, b);
            assertThat(edits.stream().filter(e -> e.op() != Op.INSERT).map(Edit::line).toList()).isEqualTo(a);
            assertThat(edits.stream().filter(e -> e.op() != Op.DELETE).map(Edit::line).toList()).isEqualTo(b);
            long kept = edits.stream().filter(e -> e.op() == Op.KEEP).count();
            assertThat(kept).as("kept lines = LCS of %s and %s", a, b).isEqualTo(lcs(a, b));
        }
    }

    @Test
    void hugelyDifferentInputsStillGiveACorrectDiff() {
        List<String> a = IntStream.range(0, 3000).mapToObj(i -> "a" + i).toList();
        List<String> b = IntStream.range(0, 3000).mapToObj(i -> "b" + i).toList();
        List<Edit> edits = LineDiff.diff(a, b);
        assertThat(edits.stream().filter(e -> e.op() == Op.DELETE).map(Edit::line).toList()).isEqualTo(a);
        assertThat(edits.stream().filter(e -> e.op() == Op.INSERT).map(Edit::line).toList()).isEqualTo(b);
        assertThat(UnifiedDiff.of("a", a, "b", b, 3)).startsWith("--- a\n+++ b\n@@ -1,3000 +1,3000 @@\n-a0\n");
    }

    @Test
    void rejectsNegativeContext() {
        assertThatThrownBy(() -> UnifiedDiff.of("a", List.of("x"), "b", List.of("y"), -1))
                .hasMessage("context: -1 (expected: >= 0)");
    }

    private static String lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append(i).append('\n');
        }
        return b.toString();
    }

    private static List<String> randomLines(Random random) {
        int n = random.nextInt(12);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(String.valueOf((char) ('a' + random.nextInt(4))));
        }
        return lines;
    }

    private static int lcs(List<String> a, List<String> b) {
        int[][] t = new int[a.size() + 1][b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                t[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t[a.size()][b.size()];
    }
}
