package dev.meshdeck.controller.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the files named by {@code -f}: a file, {@code -} for standard input, or a directory (its
 * {@code *.yaml} and {@code *.yml} files, by name, not recursing). Files over {@link #MAX_FILE_BYTES} are
 * refused before they are read, the same limit the controller's loader enforces. Used by
 * {@code meshdeck apply -f} and {@code meshdeck controller --config}.
 */
public final class SourceFiles {
    /** The largest file read: 10 MiB, like the controller's YAML loader. */
    public static final long MAX_FILE_BYTES = dev.meshdeck.controller.config.load.ConfigLoader.MAX_FILE_BYTES;
    public static final String STDIN = "<stdin>";

    private SourceFiles() {
    }

    /**
     * Reads every named file ({@code -} is {@code stdin}).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static List<SourceFile> read(List<String> names, InputStream stdin) {
        List<SourceFile> files = new ArrayList<>();
        for (String name : names) {
            if (name.equals("-")) {
                files.add(new SourceFile(STDIN, readStdin(stdin)));
                continue;
            }
            Path path = Path.of(name);
            if (Files.isDirectory(path)) {
                List<Path> yamls = yamlFilesIn(path);
                if (yamls.isEmpty()) {
                    throw new IllegalArgumentException(name + ": no *.yaml or *.yml files in this directory");
                }
                for (Path p : yamls) {
                    files.add(readFile(p));
                }
            } else {
                files.add(readFile(path));
            }
        }
        return files;
    }

    private static List<Path> yamlFilesIn(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".yaml") || n.endsWith(".yml");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list directory: " + e.getMessage(), e);
        }
    }

    private static SourceFile readFile(Path path) {
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(path + ": " + size + " bytes (expected: at most " + MAX_FILE_BYTES
                        + " bytes, 10 MiB)");
            }
            return new SourceFile(path.toString(), decode(Files.readAllBytes(path), path.toString()));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(path + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String readStdin(InputStream in) {
        try {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(STDIN + ": more than " + MAX_FILE_BYTES + " bytes (expected: at most 10 MiB)");
            }
            return decode(bytes, STDIN);
        } catch (IOException e) {
            throw new IllegalArgumentException(STDIN + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String decode(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + ": not UTF-8 text", e);
        }
    }
}
