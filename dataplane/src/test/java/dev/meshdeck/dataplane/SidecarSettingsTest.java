package dev.meshdeck.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarSettingsTest {

    @Test
    void theDefaultConcurrencyIsIstiosTwoOrTheCpusThisProcessMayUseWhenFewer() {
        int cpus = Runtime.getRuntime().availableProcessors();

        assertThat(Sidecar.Settings.defaultConcurrency()).isEqualTo(Math.min(2, cpus)).isBetween(1, 2);
        assertThat(settings().concurrency()).isEqualTo(Sidecar.Settings.defaultConcurrency());
    }

    @Test
    void aConcurrencyOutsideOneToSixtyFourIsRefused() {
        assertThatThrownBy(() -> new Sidecar.Settings("reviews", "v1", "default", 9080, "127.0.0.1:15010", "127.0.0.1",
                0, 0, 0, Map.of(), 0)).hasMessage("concurrency: 0 (expected: 1..64)");
    }

    private static Sidecar.Settings settings() {
        return new Sidecar.Settings("reviews", "v1", "default", 9080, "127.0.0.1:15010", "127.0.0.1", 0, 0, 0, Map.of());
    }
}
