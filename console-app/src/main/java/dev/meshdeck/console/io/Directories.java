package dev.meshdeck.console.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-tree chores of the commands: the temporary directories they make and remove. */
public final class Directories {
    private Directories() {
    }

    /** Deletes {@code dir} and everything under it, deepest first; a directory already gone is no error. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
