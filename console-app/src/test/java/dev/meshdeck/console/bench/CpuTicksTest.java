package dev.meshdeck.console.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuTicksTest {
    /** A /proc/stat of a 2-CPU virtual machine (Linux 6.x), cut after the CPU lines' neighbours. */
    private static final String PROC_STAT = """
            cpu  4531577 0 465168 1798038 9365 0 111451 66312 0 0
            cpu0 2250912 0 221144 935877 3147 0 54738 30789 0 0
            cpu1 2280665 0 244023 862160 6217 0 56712 35523 0 0
            intr 123456 0 9 0
            ctxt 987654321
            btime 1764400000
            """;

    @Test
    void sumsTheNamedCpusLinesAndTakesStealFromTheEighthField() {
        CpuTicks cpu0 = CpuTicks.parse(PROC_STAT, Set.of(0));

        assertThat(cpu0.steal()).isEqualTo(30789);
        assertThat(cpu0.total()).isEqualTo(2250912L + 221144 + 935877 + 3147 + 54738 + 30789);
        assertThat(CpuTicks.parse(PROC_STAT, Set.of(0, 1)))
                .isEqualTo(cpu0.plus(CpuTicks.parse(PROC_STAT, Set.of(1))));
    }

    @Test
    void readsTheSummaryLineWhenNoCpuIsNamed() {
        assertThat(CpuTicks.parse(PROC_STAT, Set.of()))
                .isEqualTo(new CpuTicks(66312, 4531577L + 465168 + 1798038 + 9365 + 111451 + 66312));
    }

    @Test
    void namesTheCpusThatHaveNoLine() {
        assertThatThrownBy(() -> CpuTicks.parse(PROC_STAT, Set.of(1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/proc/stat has no line for CPUs [2, 3]");
    }

    @Test
    void stealIsAShareOfTheTimeCountedBetweenTwoReadings() {
        CpuTicks before = new CpuTicks(100, 10_000);
        CpuTicks after = new CpuTicks(150, 10_200);

        assertThat(after.since(before)).isEqualTo(new CpuTicks(50, 200));
        assertThat(after.since(before).stealShare()).hasValue(0.25);
        assertThat(CpuTicks.NONE.stealShare()).isEmpty();
    }

    @Test
    void readsThisMachinesCpusWhenItIsLinux() {
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat"))) {
            assertThat(CpuTicks.read(Set.of())).isEmpty();
            return;
        }
        assertThat(CpuTicks.read(Set.of())).hasValueSatisfying(t -> assertThat(t.total()).isPositive());
        assertThat(CpuTicks.read(Set.of(0))).hasValueSatisfying(t -> assertThat(t.total()).isPositive());
        assertThat(CpuTicks.read(Set.of(100_000))).isEmpty();
    }

    @Test
    void readsATasksetCpuList() {
        assertThat(CpuTicks.cpuList("")).isEmpty();
        assertThat(CpuTicks.cpuList("1")).containsExactly(1);
        assertThat(CpuTicks.cpuList("0-2,5")).containsExactly(0, 1, 2, 5);
    }

    @Test
    void refusesACpuListPartThatIsNeitherACpuNorARange() {
        assertThatThrownBy(() -> CpuTicks.cpuList("0,3-1"))
                .hasMessage("cpus: '3-1' in '0,3-1' is not a CPU or a range (expected e.g. 0 or 0-1,3)");
        assertThatThrownBy(() -> CpuTicks.cpuList("0--1"))
                .hasMessage("cpus: '0--1' in '0--1' is not a CPU or a range (expected e.g. 0 or 0-1,3)");
        assertThatThrownBy(() -> CpuTicks.cpuList("1,,2"))
                .hasMessage("cpus: '' in '1,,2' is not a CPU or a range (expected e.g. 0 or 0-1,3)");
    }
}
