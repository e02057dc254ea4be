package dev.meshdeck.controller.workspace;

import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.ResourceKey;
import dev.meshdeck.controller.workspace.internal.AtomicFiles;
import dev.meshdeck.controller.workspace.internal.ConfigText;
import dev.meshdeck.controller.workspace.internal.RevisionMetadata;
import dev.meshdeck.controller.workspace.internal.UnifiedDiff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The controller's config history on disk: numbered revisions, each the full config as the documents users
 * wrote, and a pointer to the live one. Revision 0 is the empty config.
 *
 * <p>Layout of the directory:
 * <pre>
 * workspace.lock            held (FileChannel.tryLock) while a controller has the workspace open
 * current                   the live revision's number
 * revisions/000042.yaml     the documents in key order, each under "# Kind namespace/name", split by ---
 * revisions/000042.json     its metadata: time, source, summary, document keys, SHA-256 of the YAML
 * proxies.json              the proxies the controller last knew ({@link RegistryFile})
 * </pre>
 *
 * <p>Every file is replaced atomically (temporary file, fsync, atomic rename, fsync of the directory).
 * A commit writes the YAML, then the JSON, then moves {@code current}; whatever a crash leaves between
 * those steps is discarded on the next {@link #open}: a revision without metadata (or whose YAML does not
 * match its metadata's hash) is not a revision, and revisions above the pointer were never live. A pointer
 * to a missing revision falls back to the newest complete one.
 *
 * <p>Thread-safe. Operations after {@link #open} throw {@link UncheckedIOException} when the disk fails.
 */
public final class Workspace implements AutoCloseable {
    /** The environment variable that overrides the default directory. */
    public static final String ENV_VAR = "MESHDECK_WORKSPACE";
    static final String LOCK_FILE = "workspace.lock";
    static final String CURRENT_FILE = "current";
    static final String REVISIONS_DIR = "revisions";
    private static final Pattern REVISION_FILE = Pattern.compile("(\\d{6,})\\.(yaml|json)");
    private static final RevisionInfo EMPTY = new RevisionInfo(0, Instant.EPOCH, "empty config", 0, "");

    private final Path dir;
    private final Path revisionsDir;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<RevisionInfo> history;
    private List<StoredDocument> current;
    private boolean closed;

    private Workspace(Path dir, Clock clock, FileChannel lockChannel, FileLock lock) throws IOException {
        this.dir = dir;
        this.revisionsDir = dir.resolve(REVISIONS_DIR);
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        Files.createDirectories(revisionsDir);
        this.history = new ArrayList<>(recover());
        this.current = history.isEmpty() ? List.of() : read(history.get(history.size() - 1).number()).documents();
    }

    /** Opens (creating if needed) the workspace in {@code dir}, taking time from the system clock. */
    public static Workspace open(Path dir) throws IOException {
        return open(dir, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the workspace in {@code dir} and locks it for this controller.
     *
     * @throws WorkspaceLockedException if another controller has it open
     */
    public static Workspace open(Path dir, Clock clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        Path lockPath = abs.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(lockPath);
            ch.close();
            throw new WorkspaceLockedException(abs, holder);
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new Workspace(abs, clock, ch, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    /** {@code $MESHDECK_WORKSPACE} if set, else {@code ~/.meshdeck/workspace}. */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDirectory(Map<String, String> env, String userHome) {
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(userHome, ".meshdeck", "workspace");
    }

    /** The workspace's directory (absolute). */
    public Path directory() {
        return dir;
    }

    /** Where the controller keeps the proxies it knows across restarts. */
    public RegistryFile registryFile() {
        return new RegistryFile(dir.resolve(RegistryFile.NAME));
    }

    /**
     * Makes {@code docs} the live config as a new revision, timed by the clock.
     *
     * @see #commit(List, String, Instant)
     */
    public RevisionInfo commit(List<StoredDocument> docs, String source) {
        return commit(docs, source, clock.instant());
    }

    /**
     * Makes {@code docs} the live config as a new revision; if they are the live config already (same keys
     * and texts, in any order), nothing is written and the live revision is returned.
     *
     * @param docs   the full config; document texts are kept as written except for trailing line breaks
     * @param source where it came from, e.g. file names or {@code rollback to 3}
     * @param time   when it becomes live
     * @throws IllegalArgumentException if two documents have the same key
     */
    public synchronized RevisionInfo commit(List<StoredDocument> docs, String source, Instant time) {
        ensureOpen();
        Objects.requireNonNull(time, "time");
        List<StoredDocument> next = canonical(docs);
        if (next.equals(current)) {
            return currentInfo();
        }
        int number = currentInfo().number() + 1;
        String oneLineSource = source == null ? "" : source.replaceAll("[\\r\\n]+", " ").strip();
        RevisionInfo info = new RevisionInfo(number, time, oneLineSource, next.size(), summary(current, next));
        String yaml = ConfigText.render(next);
        RevisionMetadata meta = RevisionMetadata.of(info, sha256(yaml), next);
        try {
            AtomicFiles.write(yamlPath(number), yaml);
            AtomicFiles.write(jsonPath(number), meta.toJson());
            AtomicFiles.write(dir.resolve(CURRENT_FILE), number + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write revision " + number + " to " + revisionsDir + ": " + e.getMessage(), e);
        }
        history.add(info);
        current = next;
        return info;
    }

    /** The live config's documents in key order. */
    public synchronized List<StoredDocument> current() {
        ensureOpen();
        return current;
    }

    /** The live revision's metadata (number 0 for the empty config before the first commit). */
    public synchronized RevisionInfo currentInfo() {
        ensureOpen();
        return history.isEmpty() ? EMPTY : history.get(history.size() - 1);
    }

    /** Every revision, oldest first (revision 0, the empty config, is not listed). */
    public synchronized List<RevisionInfo> revisions() {
        ensureOpen();
        return List.copyOf(history);
    }

    /**
     * Revision {@code n} with its documents; 0 is the empty config.
     *
     * @throws NoSuchElementException if there is no such revision
     */
    public synchronized Revision revision(int n) {
        ensureOpen();
        if (n == 0) {
            return new Revision(EMPTY, List.of());
        }
        if (n == currentInfo().number()) {
            return new Revision(currentInfo(), current);
        }
        if (history.stream().noneMatch(r -> r.number() == n)) {
            throw new NoSuchElementException("revision " + n + " does not exist (the live revision is "
                    + currentInfo().number() + ")");
        }
        try {
            return read(n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read revision " + n + " from " + revisionsDir + ": " + e.getMessage(), e);
        }
    }

    /** A unified diff from revision {@code from} to revision {@code to}, headed {@code --- revision N}. */
    public String diff(int from, int to) {
        return diff("revision " + from, revision(from).documents(), "revision " + to, revision(to).documents());
    }

    /** A unified diff from the live revision to a proposed config, for dry runs. */
    public synchronized String diffAgainstCurrent(List<StoredDocument> proposed) {
        return diff("revision " + currentInfo().number(), current(), "proposed", proposed);
    }

    /** A unified diff between two configs, headed {@code --- before} / {@code +++ after}. */
    public static String diff(List<StoredDocument> a, List<StoredDocument> b) {
        return diff("before", a, "after", b);
    }

    /**
     * A unified diff between two configs, rendered as stored (documents in key order, each under a
     * {@code # Kind namespace/name} heading), with 3 lines of context; "" if they are equal.
     */
    public static String diff(String fromLabel, List<StoredDocument> a, String toLabel, List<StoredDocument> b) {
        return UnifiedDiff.of(fromLabel, ConfigText.render(canonical(a)), toLabel, ConfigText.render(canonical(b)));
    }

    /** Releases the lock; the workspace cannot be used afterwards. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    // --- recovery -----------------------------------------------------------------------------------------

    /** Finds the live history and deletes what crashed commits left; returns revisions 1..current. */
    private List<RevisionInfo> recover() throws IOException {
        TreeMap<Integer, RevisionInfo> complete = new TreeMap<>();
        TreeMap<Integer, Boolean> seen = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        try (Stream<Path> files = Files.list(revisionsDir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                    continue;
                }
                Matcher m = REVISION_FILE.matcher(name);
                if (m.matches()) {
                    seen.put(Integer.parseInt(m.group(1)), true);
                }
            }
        }
        for (int n : seen.keySet()) {
            completeInfo(n).ifPresent(info -> complete.put(n, info));
        }
        int live = pointer().filter(complete::containsKey)
                .orElse(complete.isEmpty() ? 0 : complete.lastKey());
        for (int n : seen.keySet()) {
            if (n > live || !complete.containsKey(n)) {
                Files.deleteIfExists(yamlPath(n));
                Files.deleteIfExists(jsonPath(n));
            }
        }
        if (live > 0 && !pointer().equals(Optional.of(live))) {
            AtomicFiles.write(dir.resolve(CURRENT_FILE), live + "\n");
        }
        return List.copyOf(complete.headMap(live, true).values());
    }

    private Optional<Integer> pointer() throws IOException {
        try {
            return Optional.of(Integer.parseInt(Files.readString(dir.resolve(CURRENT_FILE)).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Revision {@code n}'s info if both its files are there and agree. */
    private Optional<RevisionInfo> completeInfo(int n) {
        try {
            return Optional.of(read(n).info());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Revision read(int n) throws IOException {
        RevisionMetadata meta;
        try {
            meta = RevisionMetadata.fromJson(Files.readString(jsonPath(n)));
        } catch (IllegalArgumentException e) {
            throw new IOException(jsonPath(n) + ": " + e.getMessage(), e);
        }
        String yaml = Files.readString(yamlPath(n));
        if (meta.number() != n || !sha256(yaml).equals(meta.yamlSha256())) {
            throw new IOException(yamlPath(n) + ": does not match its metadata " + jsonPath(n));
        }
        try {
            return new Revision(meta.info(), ConfigText.parse(yaml, meta.keys(), meta.lineCounts()));
        } catch (IllegalArgumentException e) {
            throw new IOException(yamlPath(n) + ": " + e.getMessage(), e);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static List<StoredDocument> canonical(List<StoredDocument> docs) {
        TreeMap<ResourceKey, StoredDocument> byKey = new TreeMap<>();
        for (StoredDocument d : docs) {
            StoredDocument n = new StoredDocument(d.key(), ConfigText.normalize(d.yaml()));
            if (byKey.put(d.key(), n) != null) {
                throw new IllegalArgumentException("two documents for " + d.key() + " (expected: one per kind, namespace and name)");
            }
        }
        return List.copyOf(byKey.values());
    }

    private static String summary(List<StoredDocument> before, List<StoredDocument> after) {
        Map<ResourceKey, String> old = new TreeMap<>();
        before.forEach(d -> old.put(d.key(), d.yaml()));
        int added = 0;
        int changed = 0;
        for (StoredDocument d : after) {
            String was = old.remove(d.key());
            if (was == null) {
                added++;
            } else if (!was.equals(d.yaml())) {
                changed++;
            }
        }
        return "+" + added + " ~" + changed + " -" + old.size();
    }

    private static String holder(Path lockPath) {
        try {
            String content = Files.readString(lockPath).strip();
            return content.isEmpty() ? "" : " (" + content + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private Path yamlPath(int n) {
        return revisionsDir.resolve(String.format("%06d.yaml", n));
    }

    private Path jsonPath(int n) {
        return revisionsDir.resolve(String.format("%06d.json", n));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("workspace " + dir + " is closed");
        }
    }
}
