package dev.meshdeck.viz.render.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RasterCommandsTest {

    private static void shapes(RasterShapes s) {
        s.fill(0xFFF0F0F0);
        s.fillRoundRect(3, 4, 30, 12, 6, 0xFF336699);
        s.strokeRoundRect(2.5, 3.5, 31, 13, 6, 0xFF000000, 1.5);
        s.line(0, 30, 60, 2, 0x80FF0000, 2.5);
        s.disc(40, 30, 4, 0xFF00AA00);
        s.convexPolygon(new double[] {50, 58, 54}, new double[] {10, 10, 18}, 3, 0xFF0000FF);
        s.strokeArc(20, 30, 5, 0, 180, 0xFF884400, 1.8);
    }

    @Test
    void shapesWrittenDownAndDrawnLaterGiveThePixelsOfShapesDrawnAtOnce() {
        Raster direct = new Raster(64, 40);
        shapes(direct);
        RasterCommands commands = new RasterCommands();
        shapes(commands);
        Raster later = new Raster(64, 40);
        commands.drawOn(later);
        assertThat(commands.size()).isEqualTo(7);
        assertThat(later.pixels()).isEqualTo(direct.pixels());
    }

    @Test
    void shapesDrawnMovedOnASmallRasterGiveThePixelsOfThatPartOfTheWhole() {
        Raster whole = new Raster(64, 40);
        shapes(whole);
        RasterCommands commands = new RasterCommands();
        shapes(commands);
        Raster part = new Raster(16, 40);
        commands.drawOn(part, -32, 0);
        int differing = 0;
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 16; x++) {
                if (part.pixels()[y * 16 + x] != whole.pixels()[y * 64 + x + 32]) {
                    differing++;
                }
            }
        }
        assertThat(differing).isZero();
    }

    @Test
    void textIsDrawnFromItsMaskInTheColourAskedFor() {
        TextMask mask = new TextMask();
        // a 3 x 2 mask, pen at its left, baseline under its first row
        mask.fill(3, 2, new byte[] {0, (byte) 255, 0, (byte) 128, 0, 0}, 0, 1, 3);
        Raster r = new Raster(10, 10);
        RasterCommands commands = new RasterCommands();
        commands.text(mask, 4, 5, 0, 0xFF0000FF);
        commands.drawOn(r);
        assertThat(r.pixels()[4 * 10 + 5]).isEqualTo(0xFF0000FF);
        assertThat(r.pixels()[5 * 10 + 4] >>> 24).isEqualTo(128);
        assertThat(r.pixels()[4 * 10 + 4]).isZero();
    }

    @Test
    void aTransparentFrontLeavesTheBackAndAnOpaqueOneCoversIt() {
        int[] front = {0, 0xFF112233, 0x80800000};
        int[] back = {0xFFFFFFFF, 0xFFFFFFFF, 0xFF0000FF};
        int[] out = new int[3];
        Layers.over(front, back, out, 0, 3, 3, 1);
        assertThat(out[0]).isEqualTo(0xFFFFFFFF);
        assertThat(out[1]).isEqualTo(0xFF112233);
        // half red over blue: about half of each, opaque
        assertThat(out[2] >>> 24).isEqualTo(0xFF);
        assertThat((out[2] >> 16) & 0xFF).isEqualTo(0x80);
        assertThat(out[2] & 0xFF).isBetween(0x7E, 0x80);
    }
}
