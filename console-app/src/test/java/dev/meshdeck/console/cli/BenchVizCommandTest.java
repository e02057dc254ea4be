package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shape of {@code meshdeck bench viz}'s output; its figures are not asserted. */
class BenchVizCommandTest {

    @Test
    void printsLayoutAndUpdateTimingsForEveryGraph() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "viz", "--repetitions", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("viz: topology model and layouts, synthetic meshes")
                .containsPattern("(?m)^graph A: \\d+ nodes, \\d+ edges")
                .containsPattern("(?m)^retained heap of graph A \\+ its layout: [\\d.-]+ MB$")
                .containsPattern("(?m)^A layered layout\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$")
                .containsPattern("(?m)^A metrics update, every edge\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$")
                .containsPattern("(?m)^B layered layout\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$")
                .containsPattern("(?m)^C collapse all \\+ external hosts \\(251 groups\\)\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$")
                .containsPattern("(?m)^C expand checkout: relayout \\(\\+\\d+ nodes\\)\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$")
                .containsPattern("(?m)^C: \\d+ nodes, \\d+ edges; collapsed layout \\d+ x \\d+, \\d+ edge crossings");
    }

    @Test
    void refusesZeroRepetitions() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "viz", "--repetitions", "0");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--repetitions: 0 (expected: >= 1)");
    }
}
