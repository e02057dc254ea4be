package dev.meshdeck.console.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final long MS = 1_000_000;

    @Test
    void keepsEachSecondsAnswersErrorsAndPercentiles() {
        Timeline t = new Timeline();
        for (int i = 1; i <= 100; i++) {
            t.answered(0, i * MS);
        }
        t.failed(2);

        assertThat(t.seconds()).hasSize(3);
        Timeline.Second first = t.seconds().get(0);
        assertThat(first.answered()).isEqualTo(100);
        assertThat(first.errors()).isZero();
        assertThat(first.p50()).isBetween(49.0, 51.0);
        assertThat(first.p99()).isBetween(98.0, 100.0);
        assertThat(t.seconds().get(1)).isEqualTo(new Timeline.Second(1, 0, 0, 0, 0));
        assertThat(t.seconds().get(2).errors()).isEqualTo(1);
    }

    @Test
    void aPathIsSettledFromTheSecondAfterWhichEverySecondIsFastAndFailsNothing() {
        Timeline t = new Timeline();
        t.answered(0, 900 * MS);
        t.answered(1, 2 * MS);
        t.answered(2, 40 * MS); // a relapse: settling starts after it
        t.answered(3, 2 * MS);
        t.answered(4, 1 * MS);

        assertThat(t.settledAfter(5)).isEqualTo(OptionalInt.of(3));
        assertThat(t.settledAfter(50)).isEqualTo(OptionalInt.of(1));
        assertThat(t.settledAfter(1000)).isEqualTo(OptionalInt.of(0));
    }

    @Test
    void aPathWhoseLastSecondFailedOrWasSlowNeverSettled() {
        Timeline slow = new Timeline();
        slow.answered(0, 1 * MS);
        slow.answered(1, 30 * MS);
        Timeline failing = new Timeline();
        failing.answered(0, 1 * MS);
        failing.failed(1);

        assertThat(slow.settledAfter(5)).isEmpty();
        assertThat(failing.settledAfter(5)).isEmpty();
        assertThat(new Timeline().settledAfter(5)).isEmpty();
    }

    @Test
    void refusesANegativeSecond() {
        assertThatThrownBy(() -> new Timeline().failed(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("second: -1 (expected: 0 or more)");
    }
}
