package dev.meshdeck.dataplane.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    /** A generator that always draws {@code value}. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff low = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), fixed(0));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(125));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(250));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(500));
        for (int i = 0; i < 40; i++) {
            low.next();
        }
        assertThat(low.next()).isEqualTo(Duration.ofSeconds(15));

        Backoff high = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), fixed(0.999999));
        for (int i = 0; i < 10; i++) {
            high.next();
        }
        assertThat(high.next()).isLessThan(Duration.ofSeconds(30)).isGreaterThan(Duration.ofMillis(29_999));
    }

    @Test
    void startsOverAfterAReset() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), fixed(0));
        b.next();
        b.next();
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void rejectsACapBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), fixed(0)))
                .hasMessageContaining("expected: 0 < base <= cap");
    }
}
