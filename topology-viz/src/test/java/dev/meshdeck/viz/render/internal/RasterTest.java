package dev.meshdeck.viz.render.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RasterTest {

    private static int alphaAt(Raster r, int x, int y) {
        return r.pixels()[y * r.width() + x] >>> 24;
    }

    @Test
    void aHorizontalLineCoversTheRowItRunsThroughAndNothingElse() {
        Raster r = new Raster(20, 10);
        r.line(2, 5.5, 17, 5.5, 0xFF00FF00, 1);
        for (int x = 3; x <= 16; x++) {
            assertThat(alphaAt(r, x, 5)).as("x=%d", x).isGreaterThan(240);
            assertThat(alphaAt(r, x, 3)).isZero();
            assertThat(alphaAt(r, x, 7)).isZero();
        }
        assertThat(r.dirtyRect()[1]).isLessThanOrEqualTo(5);
    }

    @Test
    void aCopyHasTheSourcesPixelsAndTouchedRectangleAndNothingOfWhatWasThereBefore() {
        Raster source = new Raster(20, 10);
        source.line(2, 5.5, 17, 5.5, 0xFF00FF00, 1);
        Raster copy = new Raster(20, 10);
        copy.disc(3, 2, 1.5, 0xFFFF0000);
        copy.copyFrom(source);
        assertThat(copy.pixels()).isEqualTo(source.pixels());
        assertThat(copy.dirtyRect()).isEqualTo(source.dirtyRect());
        assertThatThrownBy(() -> new Raster(10, 10).copyFrom(source))
                .hasMessageContaining("expected: the same size");
    }

    @Test
    void aLineDrawnInTwoClippedHalvesIsTheLineDrawnWhole() {
        Raster whole = new Raster(40, 30);
        whole.line(3.2, 4.7, 36.9, 25.1, 0xFF3366CC, 2.4);
        whole.triangle(30, 20, 38, 26, 31, 27, 0xFF3366CC);
        Raster halves = new Raster(40, 30);
        for (int[] half : new int[][] {{0, 0, 17, 30}, {17, 0, 23, 30}}) {
            halves.clipTo(half[0], half[1], half[2], half[3]);
            halves.line(3.2, 4.7, 36.9, 25.1, 0xFF3366CC, 2.4);
            halves.triangle(30, 20, 38, 26, 31, 27, 0xFF3366CC);
        }
        assertThat(halves.pixels()).isEqualTo(whole.pixels());
    }

    @Test
    void aShiftedCopyMovesThePixelsAndLeavesWhatCameInTransparent() {
        Raster source = new Raster(20, 10);
        source.triangle(2, 2, 8, 2, 2, 8, 0xFFFF0000);
        Raster moved = new Raster(20, 10);
        moved.copyShifted(source, 5, 1);
        assertThat(moved.pixels()[4 * 20 + 8]).isEqualTo(source.pixels()[3 * 20 + 3]);
        assertThat(moved.pixels()[0]).isZero();
        assertThat(moved.dirtyRect()[0]).isGreaterThanOrEqualTo(5);
    }

    @Test
    void clipsLinesThatLeaveTheRaster() {
        Raster r = new Raster(10, 10);
        r.line(-1e6, 5.5, 1e6, 5.5, 0xFF000000, 1); // must not loop over two million pixels, nor throw
        assertThat(alphaAt(r, 0, 5)).isGreaterThan(200);
        assertThat(alphaAt(r, 9, 5)).isGreaterThan(200);
        double[] c = {-10, -10, -5, -5};
        assertThat(Raster.clip(c, 0, 0, 9, 9)).isFalse();
    }

    @Test
    void fillsTrianglesAndDiscsAndClearsWhatItTouched() {
        Raster r = new Raster(20, 20);
        r.triangle(2, 2, 18, 2, 2, 18, 0xFFFF0000);
        assertThat(alphaAt(r, 4, 4)).isEqualTo(255);
        assertThat(alphaAt(r, 16, 16)).isZero();
        r.disc(15, 15, 3, 0x800000FF);
        assertThat(alphaAt(r, 15, 15)).isBetween(120, 135);
        assertThat(r.isDirty()).isTrue();
        r.clear();
        assertThat(r.isDirty()).isFalse();
        assertThat(r.pixels()).containsOnly(0);
    }

    @Test
    void rejectsAnEmptyRaster() {
        assertThatThrownBy(() -> new Raster(0, 5)).hasMessageContaining("expected: at least 1 x 1");
    }

    @Test
    void aWindowOfALargerPictureShowsItsPixelsAndTheFillBeyondIt() {
        int[] source = new int[6 * 4];
        for (int i = 0; i < source.length; i++) {
            source[i] = 0xFF000000 | i;
        }
        Raster r = new Raster(3, 3);
        r.copyWindow(source, 6, 4, 4, 2, 0xFFFFFFFF);
        // rows 2 and 3 of the source from column 4 on, then fill
        assertThat(r.pixels()).containsExactly(
                0xFF000000 | 16, 0xFF000000 | 17, 0xFFFFFFFF,
                0xFF000000 | 22, 0xFF000000 | 23, 0xFFFFFFFF,
                0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF);
        assertThat(r.dirtyRect()).containsExactly(0, 0, 3, 3);
    }

    @Test
    void aScaledPictureShowsTheNearestSourcePixel() {
        int[] source = {1, 2, 3, 4};
        Raster r = new Raster(4, 4);
        // twice as large: each source pixel covers 2 x 2
        r.scaledFrom(source, 2, 2, 0, 0, 0.5, 9);
        assertThat(r.pixels()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
        r.scaledFrom(source, 2, 2, 1, 0, 0.5, 9);
        assertThat(r.pixels()[2]).isEqualTo(9);
        assertThatThrownBy(() -> r.scaledFrom(source, 2, 2, 0, 0, 0, 9)).hasMessageContaining("expected: > 0");
    }

    @Test
    void shiftingMovesThePixelsWithinThePicture() {
        int[] p = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Raster.shift(p, 3, 3, 1, 1);
        // what moves in keeps what was there before
        assertThat(p).containsExactly(1, 2, 3, 4, 1, 2, 7, 4, 5);
        int[] q = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Raster.shift(q, 3, 3, -1, -2);
        assertThat(q).containsExactly(8, 9, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aRoundRectangleCoversItsInsideFullyItsCornersPartlyAndNothingOutside() {
        Raster r = new Raster(30, 20);
        r.fillRoundRect(5, 5, 20, 10, 8, 0xFF0000FF);
        assertThat(alphaAt(r, 15, 10)).isEqualTo(255);
        assertThat(alphaAt(r, 5, 10)).isEqualTo(255);
        assertThat(alphaAt(r, 5, 5)).isZero();
        assertThat(alphaAt(r, 6, 6)).isBetween(1, 254);
        assertThat(alphaAt(r, 4, 10)).isZero();
        assertThat(alphaAt(r, 25, 10)).isZero();
        assertThat(alphaAt(r, 15, 15)).isZero();
    }

    @Test
    void fillingCoversOnlyTheClip() {
        Raster r = new Raster(10, 10);
        r.clipTo(2, 3, 4, 5);
        r.fill(0xFFFFFFFF);
        assertThat(alphaAt(r, 2, 3)).isEqualTo(255);
        assertThat(alphaAt(r, 5, 7)).isEqualTo(255);
        assertThat(alphaAt(r, 1, 3)).isZero();
        assertThat(alphaAt(r, 6, 7)).isZero();
        assertThat(alphaAt(r, 2, 8)).isZero();
    }
}
