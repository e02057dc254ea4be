package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.Rect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitBarTest {

    private final SplitBar bar = new SplitBar("reviews", new Rect(0, 0, 100, 5), List.of("v1", "v2", "v3"),
            new double[] {50, 30, 20});

    @Test
    void placesHandlesAtTheCumulativeWeights() {
        assertThat(bar.handleCount()).isEqualTo(2);
        assertThat(bar.handleX(0)).isEqualTo(50);
        assertThat(bar.handleX(1)).isEqualTo(80);
        assertThat(bar.handleAt(81, 2)).isEqualTo(1);
        assertThat(bar.handleAt(65, 2)).isEqualTo(-1);
        assertThat(bar.handleAt(80, 30)).isEqualTo(-1);
    }

    @Test
    void draggingAHandleMovesWeightBetweenItsTwoNeighboursOnly() {
        assertThat(bar.weightsWithHandleAt(0, 70)).containsExactly(
                java.util.Map.entry("v1", 70.0), java.util.Map.entry("v2", 10.0), java.util.Map.entry("v3", 20.0));
        assertThat(bar.weightsWithHandleAt(1, 55)).containsExactly(
                java.util.Map.entry("v1", 50.0), java.util.Map.entry("v2", 5.0), java.util.Map.entry("v3", 45.0));
    }

    @Test
    void aHandleCannotPassItsNeighbours() {
        assertThat(bar.weightsWithHandleAt(0, -40)).containsEntry("v1", 0.0).containsEntry("v2", 80.0);
        assertThat(bar.weightsWithHandleAt(0, 95)).containsEntry("v1", 80.0).containsEntry("v2", 0.0)
                .containsEntry("v3", 20.0);
    }

    @Test
    void rejectsAnUnknownHandleAndASingleVersion() {
        assertThatThrownBy(() -> bar.weightsWithHandleAt(2, 10)).hasMessageContaining("handle 2 of the split of 'reviews' (expected: 0..1)");
        assertThatThrownBy(() -> new SplitBar("s", new Rect(0, 0, 1, 1), List.of("v1"), new double[] {100}))
                .hasMessageContaining("expected: the same number, at least 2");
    }
}
