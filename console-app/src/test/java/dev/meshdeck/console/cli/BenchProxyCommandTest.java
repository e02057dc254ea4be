package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.console.bench.CpuTicks;
import dev.meshdeck.console.bench.LoadResult;
import dev.meshdeck.console.bench.ProxyBench;
import dev.meshdeck.console.bench.Timeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * {@code meshdeck bench proxy} with tiny settings: the backend, the load generator, the embedded controller and two
 * real sidecar JVMs all run, and the report has its shape. No figure is asserted, and haproxy is not needed.
 */
class BenchProxyCommandTest {
    private static final String MS = "[\\d.]+ ms";

    @Test
    void measuresDirectAndOurPairAndReportsTheirFigures() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "proxy", "--rate", "50", "--connections", "2",
                "--warm-up", "1s", "--duration", "2s", "--no-haproxy", "--timeline");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("proxy: open loop, 50.0 requests/s over 2 keep-alive HTTP/1.1 connections,"
                        + " 1024-byte responses, 1.0 s warm-up + 2.0 s measured per path")
                .contains("note: haproxy: left out (--no-haproxy)")
                .containsPattern("(?m)^PATH\\s+REQUESTS\\s+ERRORS\\s+REQ/S\\s+P50\\s+P90\\s+P99\\s+P99\\.9\\s+MAX$")
                .containsPattern("(?m)^direct\\s+\\d+\\s+\\d+\\s+[\\d.]+(\\s+" + MS + "){5}$")
                .containsPattern("(?m)^meshdeck\\s+\\d+\\s+\\d+\\s+[\\d.]+(\\s+" + MS + "){5}$")
                .doesNotContainPattern("(?m)^haproxy\\s")
                .containsPattern("(?m)^PATH\\s+STEAL \\(ALL CPUS\\)$")
                .containsPattern("(?m)^direct\\s+[\\d.]+%$")
                .containsPattern("(?m)^meshdeck\\s+[\\d.]+%$")
                .containsPattern("(?m)^PAIR\\s+ADDED P50\\s+ADDED P90\\s+ADDED P99\\s+P99 VS HAPROXY\\s+CPU PER 1000 REQ/S$")
                .containsPattern("(?m)^meshdeck\\s+-?" + MS + "\\s+-?" + MS + "\\s+-?" + MS + "\\s+-\\s+[\\d.]+% of a core$")
                .containsPattern("(?m)^settled \\(from then on every second's p99 <= 5\\.0 ms, no errors\\), seconds after"
                        + " each path's first request, warm-up included: direct (\\d+|never), meshdeck (\\d+|never)$")
                .containsPattern("(?m)^SECOND\\s+DIRECT P50\\s+DIRECT P99\\s+DIRECT ERRORS\\s+MESHDECK P50\\s+MESHDECK P99"
                        + "\\s+MESHDECK ERRORS$")
                .containsPattern("(?m)^0\\s+" + MS + "\\s+" + MS + "\\s+\\d+\\s+" + MS + "\\s+" + MS + "\\s+\\d+$")
                .containsPattern("(?m)^2\\s+" + MS + "\\s+" + MS + "\\s+\\d+\\s+" + MS + "\\s+" + MS + "\\s+\\d+$")
                .containsPattern("(?m)^sidecar memory \\(VmRSS at the end\\): client [\\d.]+ MB, server [\\d.]+ MB$")
                .containsPattern("(?m)^target: a sidecar <= 80 MB resident: (met|MISSED) \\([\\d.]+ MB\\)$")
                .containsPattern("(?m)^target: our pair adds <= 1\\.0 ms at p99: (met|MISSED) \\(-?[\\d.]+ ms\\)$");
    }

    @Test
    void measuresEveryPathInSlicesTakenInTurnWhenAskedForRounds() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "proxy", "--rate", "50", "--connections", "2",
                "--warm-up", "0s", "--duration", "2s", "--rounds", "2", "--no-haproxy");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("proxy: open loop, 50.0 requests/s over 2 keep-alive HTTP/1.1 connections,"
                        + " 1024-byte responses, 0.0 s warm-up + 2.0 s measured per path in 2 slices of 1.0 s taken in turn;")
                .containsPattern("(?m)^settled .*, warm-up included \\(its first slice\\): direct (\\d+|never),"
                        + " meshdeck (\\d+|never)$");
        Matcher direct = Pattern.compile("(?m)^direct\\s+(\\d+)\\s+(\\d+)\\s").matcher(r.out());
        assertThat(direct.find()).as(r.out()).isTrue();
        // Both slices count: 50 requests are due in each second of the measured time.
        assertThat(Long.parseLong(direct.group(1)) + Long.parseLong(direct.group(2))).isBetween(98L, 102L);
    }

    @Test
    void refusesZeroRounds() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "proxy", "--rounds", "0", "--no-haproxy");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("rounds: 0 (expected: 1..100)");
    }

    @Test
    void printsEachPathsStealOnTheProxyCpusAndOnTheLoadCpusWhenPinned() {
        String report = report("1", "0",
                Optional.of(new ProxyBench.Steal(new CpuTicks(1, 100), new CpuTicks(2, 100))),
                Optional.of(new ProxyBench.Steal(new CpuTicks(13, 100), new CpuTicks(0, 100))));

        assertThat(report)
                .containsPattern("(?m)^PATH\\s+STEAL ON PROXY CPUS 0\\s+STEAL ON LOAD CPUS 1$")
                .containsPattern("(?m)^direct\\s+1\\.0%\\s+2\\.0%$")
                .containsPattern("(?m)^meshdeck\\s+13\\.0%\\s+0\\.0%$")
                .contains("STEAL: the share of those CPUs' time in the measured window that the hypervisor gave to"
                        + " something else");
    }

    @Test
    void leavesStealOutWhereProcStatCannotBeRead() {
        String report = report("", "", Optional.empty(), Optional.empty());

        assertThat(report).contains("PAIR").doesNotContain("STEAL");
    }

    /** The printed report of a made-up run: direct and our pair, 1000 requests each at 0.2 ms. */
    private static String report(String loadCpus, String proxyCpus, Optional<ProxyBench.Steal> directSteal,
                                 Optional<ProxyBench.Steal> pairSteal) {
        ProxyBench.Settings settings = new ProxyBench.Settings(false, 1000, 16, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1024, false, loadCpus, proxyCpus, SidecarRuntime.defaults());
        Histogram latency = new Histogram(3);
        latency.recordValue(200_000);
        LoadResult load = new LoadResult(latency, 1000, 0, Duration.ofSeconds(1), new Timeline());
        ProxyBench.Result result = new ProxyBench.Result(settings, "epoll", List.of(
                new ProxyBench.PathResult("direct", load, Optional.empty(), directSteal),
                new ProxyBench.PathResult("meshdeck", load, Optional.of(Duration.ofMillis(300)), pairSteal)),
                List.of(), 70L << 20, 72L << 20);
        StringWriter text = new StringWriter();
        BenchProxyCommand.print(result, new PrintWriter(text), false);
        return text.toString();
    }

    @Test
    void refusesACpuListThatIsNotCpusAndRanges() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "proxy", "--proxy-cpus", "1-0", "--no-haproxy");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cpus: '1-0' in '1-0' is not a CPU or a range (expected e.g. 0 or 0-1,3)");
    }

    @Test
    void reportsThroughputWhenSaturating() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "proxy", "--saturate", "--connections", "2",
                "--warm-up", "0s", "--duration", "1s", "--no-haproxy");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("proxy: closed loop (saturation) over 2 keep-alive HTTP/1.1 connections")
                .containsPattern("(?m)^PAIR\\s+REQ/S\\s+VS HAPROXY\\s+CPU \\(CORES\\)$")
                .containsPattern("(?m)^meshdeck\\s+[\\d.]+\\s+-\\s+[\\d.]+$");
    }

    @Test
    void refusesANonPositiveRate() {
        CliFixture.Run r = CliFixture.runRaw("", "bench", "proxy", "--rate", "0", "--no-haproxy");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("rate: 0.0 (expected: more than 0 requests/s)");
    }
}
