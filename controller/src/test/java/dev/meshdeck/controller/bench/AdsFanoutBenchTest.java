package dev.meshdeck.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark harness working; the figures themselves are for the benchmark run, not asserted. */
class AdsFanoutBenchTest {

    @Test
    void measuresEveryChangeOfASmallMeshWithClientsInProcess() throws InterruptedException {
        AdsFanoutBench.Result r = AdsFanoutBench.run(new AdsFanoutBench.Settings(12, 5, 4, false, "", 1, 2,
                Duration.ofSeconds(60)));

        assertThat(r.clients()).isEqualTo("in-process");
        assertThat(r.rounds()).extracting(AdsFanoutBench.Round::change, AdsFanoutBench.Round::round).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AdsFanoutBench.Change.ONE_SERVICE, 1),
                org.assertj.core.groups.Tuple.tuple(AdsFanoutBench.Change.ONE_SERVICE, 2),
                org.assertj.core.groups.Tuple.tuple(AdsFanoutBench.Change.EVERY_SERVICE, 1),
                org.assertj.core.groups.Tuple.tuple(AdsFanoutBench.Change.EVERY_SERVICE, 2));
        assertThat(r.rounds()).allSatisfy(round -> assertThat(round.ack().count()).isEqualTo(12));
        assertThat(r.heapConnected()).hasSize(5).allSatisfy(bytes -> assertThat(bytes).isPositive());
        assertThat(r.controllerOnlyHeap()).isFalse();
    }

    @Test
    void runsTheClientsInAChildJvm() throws InterruptedException {
        AdsFanoutBench.Result r = AdsFanoutBench.run(new AdsFanoutBench.Settings(6, 3, 1, true, "", 0, 1,
                Duration.ofSeconds(60)));

        assertThat(r.clients()).startsWith("child JVM (pid ");
        assertThat(r.controllerOnlyHeap()).isTrue();
        assertThat(r.rounds()).hasSize(2).allSatisfy(round -> assertThat(round.ack().count()).isEqualTo(6));
    }

    @Test
    void refusesCpuPinningForClientsInProcess() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AdsFanoutBench.Settings(10, 5, 1, false, "1", 0, 1, Duration.ofSeconds(1)))
                .withMessage("clientCpus: 1 (expected: none unless the clients run in a separate JVM)");
    }
}
