package dev.meshdeck.controller.config.load;

import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.Source;
import dev.meshdeck.controller.config.load.internal.Binding;
import dev.meshdeck.controller.config.load.internal.DocumentBinder;
import dev.meshdeck.controller.config.load.internal.DocumentSplitter;
import dev.meshdeck.controller.config.load.internal.Node;
import dev.meshdeck.controller.config.load.internal.YamlSyntaxException;
import dev.meshdeck.controller.config.load.internal.YamlTrees;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads mesh config files: multi-document YAML in the shape of Istio's {@code networking.istio.io} APIs.
 * Every document is checked on its own (types, enum values, unknown and unsupported fields, weights,
 * durations, regexes, ...) and every error of every document is reported with its file, document,
 * resource, field path and line. Checks across documents are {@link ConfigValidator}'s.
 */
public final class ConfigLoader {
    /** The largest file read: 10 MB. */
    public static final int MAX_FILE_BYTES = 10 * 1024 * 1024;

    private final YamlTrees yaml = new YamlTrees(MAX_FILE_BYTES);

    /** Reads {@code file}, refusing it before reading if it is larger than {@link #MAX_FILE_BYTES}. */
    public LoadResult load(Path file) {
        String label = file.toString();
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return failed(label, tooBig(size));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return failed(label, "no such file");
        } catch (CharacterCodingException e) {
            return failed(label, "not UTF-8 text (expected: a YAML file in UTF-8)");
        } catch (IOException e) {
            return failed(label, "cannot read the file: " + e);
        }
        return load(label, text);
    }

    /** Reads {@code text}; {@code fileLabel} names it in errors and in each resource's {@link Source}. */
    public LoadResult load(String fileLabel, String text) {
        long bytes = text.length() > MAX_FILE_BYTES / 3 ? text.getBytes(StandardCharsets.UTF_8).length : text.length();
        if (bytes > MAX_FILE_BYTES) {
            return failed(fileLabel, tooBig(bytes));
        }
        List<LoadedDocument> documents = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        int index = 0;
        for (DocumentSplitter.RawDocument raw : DocumentSplitter.split(text)) {
            Optional<Node> root;
            try {
                root = yaml.read(raw.text(), raw.firstLine());
            } catch (YamlSyntaxException e) {
                errors.add(new ConfigError(fileLabel, ++index, null, null, e.line(), "not valid YAML: " + e.getMessage()));
                continue;
            }
            if (root.isEmpty()) {
                continue;
            }
            Binding binding = new Binding(fileLabel, ++index);
            MeshResource resource = DocumentBinder.bind(binding, root.get(), new Source(fileLabel, index, raw.firstLine()));
            errors.addAll(binding.errors());
            if (resource != null) {
                documents.add(new LoadedDocument(resource, raw.text(), binding.fieldLines()));
            }
        }
        return new LoadResult(documents, errors);
    }

    private static LoadResult failed(String file, String message) {
        return new LoadResult(List.of(), List.of(ConfigError.ofFile(file, 0, message)));
    }

    private static String tooBig(long size) {
        return String.format(java.util.Locale.ROOT, "file is %,d bytes, larger than the limit of %,d bytes (10 MB)", size, MAX_FILE_BYTES);
    }
}
