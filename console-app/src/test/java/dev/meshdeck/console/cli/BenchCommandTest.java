package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmarks' output shape with tiny sizes; their figures are not asserted. */
class BenchCommandTest {

    @Test
    void listsTheBenchmarksWhenRunAlone() {
        CliFixture.Run r = CliFixture.runRaw("", "bench");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("NAME", "MEASURES").containsPattern("(?m)^translate\\s+Time to translate")
                .containsPattern("(?m)^xds\\s+Time from a config change")
                .containsPattern("(?m)^proxy\\s+Latency our sidecar pair adds");
    }

    @Test
    void printsTranslationTimings() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "translate", "--services", "5", "--iterations", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("translate: 5 services x 3 versions, 15 sidecars, 2 measured rounds")
                .containsPattern("(?m)^STEP\\s+MEDIAN\\s+P99\\s+MAX$")
                .containsPattern("(?m)^translate\\(\\)\\s+[\\d.]+ ms\\s+[\\d.]+ ms\\s+[\\d.]+ ms$")
                .containsPattern("(?m)^translate\\(\\) \\+ 15 snapshots\\s+[\\d.]+ ms\\s+[\\d.]+ ms\\s+[\\d.]+ ms$")
                .containsPattern("per sidecar snapshot: [\\d.]+ us");
    }

    @Test
    void printsFanOutFiguresForEveryChangeAndRound() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "xds", "--proxies", "10", "--services", "5",
                "--rounds", "2", "--warm-up", "0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("xds: 10 proxies (sidecars, one ADS stream each, 1 per TCP connection),"
                        + " 5 services x 3 versions, clients in-process")
                .containsPattern("(?m)^connect\\s+\\d+ ms\\s+first stream to all 10 in sync$")
                .containsPattern("(?m)^heap connected\\s+[\\d.]+ MB\\s+after GC, median of 5 samples .*controller and clients$")
                .containsPattern("(?m)^CHANGE\\s+ROUND\\s+TRANSLATE\\s+PUBLISH\\s+ACK P50\\s+ACK P99\\s+ACK MAX$")
                .containsPattern("(?m)^one VirtualService\\s+1\\s+([\\d.]+ ms\\s+){4}[\\d.]+ ms$")
                .containsPattern("(?m)^one VirtualService\\s+2\\s")
                .containsPattern("(?m)^every VirtualService\\s+1\\s")
                .containsPattern("(?m)^every VirtualService\\s+2\\s");
    }

    @Test
    void measuresTheControllerAloneWithTheClientsInAChildJvm() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "xds", "--proxies", "4", "--services", "2",
                "--rounds", "1", "--warm-up", "0", "--separate-clients");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("clients child JVM \\(pid \\d+\\)")
                .containsPattern("(?m)^heap connected\\s+.*; controller only$");
    }

    @Test
    void refusesCpuPinningWithoutASeparateJvm() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "xds", "--proxies", "4", "--client-cpus", "1");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("clientCpus: 1 (expected: none unless the clients run in a separate JVM)");
    }
}
