package dev.meshdeck.controller.workspace;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.workspace.internal.AtomicFiles;
import dev.meshdeck.controller.workspace.internal.SavedProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The proxies the controller last knew, kept in the workspace ({@code proxies.json}) so that a restarted
 * controller starts with the mesh it had instead of only the proxies that reconnect first. Written
 * atomically like the rest of the workspace; a file that is missing or cannot be read gives an empty
 * registry and a warning that names it.
 */
public final class RegistryFile {
    /** The file's name in the workspace directory. */
    public static final String NAME = "proxies.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What {@link #load} found.
     *
     * @param proxies the saved proxies, sorted by node id (empty when there was nothing to read)
     * @param warning why nothing could be restored, naming the file, if that is the case
     */
    public record Loaded(List<ProxyInfo> proxies, Optional<String> warning) {
        public Loaded {
            proxies = List.copyOf(proxies);
            Objects.requireNonNull(warning, "warning");
        }
    }

    /** The file's JSON form; {@code format} lets a later version tell an old file from its own. */
    private record Contents(@JsonProperty("format") int format, @JsonProperty("proxies") List<SavedProxy> proxies) {
    }

    private final Path file;

    /** The registry file at {@code file}; nothing is read or written yet. */
    public RegistryFile(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /**
     * Reads the saved proxies. A missing file gives none (a new workspace, or no proxy seen yet); an unreadable or
     * invalid one gives none and a warning that names it.
     */
    public Loaded load() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return new Loaded(List.of(), Optional.empty());
        } catch (IOException e) {
            return empty("cannot read the saved proxy registry " + file + " (" + e.getMessage()
                    + "); starting with an empty registry");
        }
        try {
            return new Loaded(parse(text), Optional.empty());
        } catch (IOException | IllegalArgumentException e) {
            return empty("the saved proxy registry " + file + " is not valid (" + e.getMessage().lines().findFirst().orElse("")
                    + "); starting with an empty registry");
        }
    }

    /**
     * Replaces the file with {@code proxies}, atomically.
     *
     * @throws IOException when it cannot be written; the old file is then left as it was
     */
    public void save(Collection<ProxyInfo> proxies) throws IOException {
        List<SavedProxy> saved = proxies.stream()
                .sorted(Comparator.comparing(ProxyInfo::nodeId))
                .map(SavedProxy::of)
                .toList();
        AtomicFiles.write(file, JSON.writeValueAsString(new Contents(FORMAT, saved)) + "\n");
    }

    private static List<ProxyInfo> parse(String text) throws IOException {
        Contents contents = JSON.readValue(text, new TypeReference<Contents>() { });
        if (contents == null || contents.proxies() == null) {
            throw new IllegalArgumentException("no \"proxies\" list");
        }
        if (contents.format() != FORMAT) {
            throw new IllegalArgumentException("format " + contents.format() + " (expected: " + FORMAT + ")");
        }
        List<ProxyInfo> proxies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (SavedProxy p : contents.proxies()) {
            if (p == null) {
                throw new IllegalArgumentException("a null proxy entry");
            }
            ProxyInfo info = p.toProxyInfo();
            if (!ids.add(info.nodeId())) {
                throw new IllegalArgumentException("proxy " + info.nodeId() + " is listed twice (expected: once)");
            }
            proxies.add(info);
        }
        proxies.sort(Comparator.comparing(ProxyInfo::nodeId));
        return proxies;
    }

    private static Loaded empty(String warning) {
        return new Loaded(List.of(), Optional.of(warning));
    }
}
