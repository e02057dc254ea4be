package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.io.TopologyJson;
import dev.meshdeck.viz.layout.Layout;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshdeck viz}: the screenshot mode on the headless platform (the test JVM has no display; Monocle
 * is on the runtime class path), and its errors. The window itself is the renderer's TestFX tests' job.
 */
class VizCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesAScreenshotOfASyntheticMeshWithoutADisplay() throws Exception {
        Path png = tmp.resolve("shot.png");
        CliFixture.Run r = CliFixture.runRaw("", "viz", "--synthetic", "20", "--size", "800x500", "--screenshot",
                png.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("wrote .*shot.png \\(\\d+ nodes, \\d+ edges, 800 x 500\\)");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void opensATopologyFileThatTheViewerExported() throws Exception {
        Path json = tmp.resolve("topology.json");
        TopologyJson.write(json, SyntheticTopology.generate(8, 3), Layout.EMPTY);
        Path png = tmp.resolve("file.png");
        CliFixture.Run r = CliFixture.runRaw("", "viz", "--file", json.toString(), "--layout", "force",
                "--screenshot", png.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.size(png)).isPositive();
    }

    @Test
    void saysWhatIsWrongWithABadFile() throws Exception {
        Path json = tmp.resolve("bad.json");
        Files.writeString(json, "{\"format\": \"meshdeck-topology/v1\", \"nodes\": [{\"id\": \"a\"}], \"edges\": []}");
        CliFixture.Run r = CliFixture.runRaw("", "viz", "--file", json.toString(), "--screenshot",
                tmp.resolve("x.png").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("meshdeck viz: invalid topology: ").contains("bad.json");

        CliFixture.Run missing = CliFixture.runRaw("", "viz", "--file", tmp.resolve("none.json").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read").contains("none.json: no such file");
    }

    @Test
    void needsExactlyOneSource() {
        CliFixture.Run none = CliFixture.runRaw("", "viz");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--file=FILE | --synthetic=N");

        CliFixture.Run both = CliFixture.runRaw("", "viz", "--synthetic", "3", "--file", "x.json");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        CliFixture.Run size = CliFixture.runRaw("", "viz", "--synthetic", "3", "--size", "big");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("--size: 'big' (expected: WIDTHxHEIGHT");
    }
}
