package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.Rect;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ViewportTest {

    @Test
    void mapsWorldToScreenAndBack() {
        Viewport v = new Viewport(2, 10, -5);
        assertThat(v.toScreenX(3)).isEqualTo(16);
        assertThat(v.toScreenY(3)).isEqualTo(1);
        assertThat(v.toWorldX(v.toScreenX(123.4))).isCloseTo(123.4, within(1e-9));
        assertThat(v.toWorldY(v.toScreenY(-7.5))).isCloseTo(-7.5, within(1e-9));
    }

    @Test
    void zoomKeepsTheWorldPointUnderTheCursorInPlace() {
        Viewport v = new Viewport(0.5, 40, 30);
        double wx = v.toWorldX(300);
        double wy = v.toWorldY(200);
        Viewport z = v.zoomAt(1.7, 300, 200);
        assertThat(z.scale()).isCloseTo(0.85, within(1e-9));
        assertThat(z.toScreenX(wx)).isCloseTo(300, within(1e-9));
        assertThat(z.toScreenY(wy)).isCloseTo(200, within(1e-9));
    }

    @Test
    void zoomStopsAtTheLimits() {
        assertThat(Viewport.IDENTITY.zoomAt(1000, 0, 0).scale()).isEqualTo(Viewport.MAX_SCALE);
        assertThat(Viewport.IDENTITY.zoomAt(1e-6, 0, 0).scale()).isEqualTo(Viewport.MIN_SCALE);
    }

    @Test
    void panMovesThePictureWithTheMouse() {
        Viewport v = new Viewport(2, 0, 0).panBy(15, -4);
        assertThat(v.toScreenX(0)).isEqualTo(15);
        assertThat(v.toScreenY(0)).isEqualTo(-4);
    }

    @Test
    void fitShowsTheWholeBoundsCentred() {
        Rect bounds = new Rect(100, 50, 2000, 500);
        Viewport v = Viewport.fit(bounds, 1000, 600, 20);
        assertThat(v.scale()).isCloseTo(960.0 / 2000, within(1e-9));
        assertThat(v.toScreenX(bounds.minX())).isCloseTo(20, within(1e-9));
        assertThat(v.toScreenX(bounds.maxX())).isCloseTo(980, within(1e-9));
        assertThat((v.toScreenY(bounds.minY()) + v.toScreenY(bounds.maxY())) / 2).isCloseTo(300, within(1e-9));
        Rect visible = v.visibleWorld(1000, 600);
        assertThat(visible.minX()).isLessThan(bounds.minX());
        assertThat(visible.maxY()).isGreaterThan(bounds.maxY());
    }

    @Test
    void fitDoesNotBlowUpASmallGraph() {
        assertThat(Viewport.fit(new Rect(0, 0, 100, 50), 1000, 600, 20).scale()).isEqualTo(1);
    }

    @Test
    void rejectsAScaleOutOfRange() {
        assertThatThrownBy(() -> new Viewport(0, 0, 0)).hasMessageContaining("viewport scale: 0.0 (expected: 0.01..8");
        assertThatThrownBy(() -> new Viewport(1, Double.NaN, 0)).hasMessageContaining("expected: finite numbers");
    }
}
