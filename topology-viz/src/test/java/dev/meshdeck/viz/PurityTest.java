package dev.meshdeck.viz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The model, the layouts and the JSON codec are plain Java: testable and usable without a screen. */
class PurityTest {

    @Test
    void modelLayoutAndIoDoNotImportJavaFx() throws IOException {
        Path root = Path.of("src/main/java/dev/meshdeck/viz");
        for (String pkg : List.of("model", "layout", "io", "bench")) {
            try (Stream<Path> files = Files.walk(root.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain("import javafx.");
                }
            }
        }
    }
}
