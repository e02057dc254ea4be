package dev.meshdeck.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark harness working; the figures themselves are for the benchmark run, not asserted. */
class AdsFanoutBenchTest {

    @Test
    void measuresEveryProxyOfASmallMesh() throws InterruptedException {
        AdsFanoutBench.Result r = AdsFanoutBench.run(30, 10, 5, Duration.ofSeconds(30));

        assertThat(r.proxies()).isEqualTo(30);
        assertThat(r.p50()).isLessThanOrEqualTo(r.p99());
        assertThat(r.p99()).isLessThanOrEqualTo(r.max());
        assertThat(r.heapUsedBytes()).isPositive();
    }

    @Test
    void rejectsAWeightOutsideAHundred() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new BenchMesh(2, 4, 120))
                .withMessage("weightV1: 120 (expected: 0..100)");
    }
}
