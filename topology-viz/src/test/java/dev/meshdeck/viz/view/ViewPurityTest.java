package dev.meshdeck.viz.view;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The view models (viewport, hit testing, drawing decisions, SVG) stay screen-free: no JavaFX at all. */
class ViewPurityTest {

    @Test
    void viewPackageDoesNotImportJavaFx() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/meshdeck/viz/view"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("import javafx.");
            }
        }
    }
}
