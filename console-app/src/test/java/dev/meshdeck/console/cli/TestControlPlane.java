package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ControlPlane;
import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.Kind;
import dev.meshdeck.controller.config.ResourceKey;
import dev.meshdeck.controller.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A test double of the controller, standing in for the lead's {@code MeshController} (not written yet) so
 * that the API can be tested around it. Config lives in a real {@link Workspace}; documents are keyed by
 * their {@code kind:}, {@code name:} and {@code namespace:} lines, without the real YAML loader. Proxies are
 * whatever the test sets, and events whatever it publishes.
 */
final class TestControlPlane implements ControlPlane, AutoCloseable {
    static final Instant STARTED = Instant.parse("2026-11-24T09:00:00Z");
    private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*(\\S+)");
    private static final Pattern NAME = Pattern.compile("(?m)^\\s+name:\\s*(\\S+)");
    private static final Pattern NAMESPACE = Pattern.compile("(?m)^\\s+namespace:\\s*(\\S+)");

    private final Workspace workspace;
    private final List<Consumer<MeshEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<ProxyStatus> proxies = List.of();

    TestControlPlane(Path dir) throws IOException {
        this.workspace = Workspace.open(dir);
    }

    void setProxies(List<ProxyStatus> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    void publish(MeshEvent event) {
        listeners.forEach(l -> l.accept(event));
    }

    int subscribers() {
        return listeners.size();
    }

    @Override
    public synchronized ApplyResult apply(List<SourceFile> files, boolean dryRun, boolean replace) {
        List<ConfigError> errors = new ArrayList<>();
        Map<ResourceKey, StoredDocument> merged = new TreeMap<>();
        if (!replace) {
            workspace.current().forEach(d -> merged.put(d.key(), d));
        }
        for (SourceFile f : files) {
            String[] docs = f.text().split("(?m)^---\\s*$");
            for (int i = 0; i < docs.length; i++) {
                String text = docs[i].strip();
                if (text.isEmpty()) {
                    continue;
                }
                Matcher kind = KIND.matcher(text);
                Matcher name = NAME.matcher(text);
                Optional<Kind> k = kind.find() ? Kind.fromKindName(kind.group(1)) : Optional.empty();
                if (k.isEmpty()) {
                    errors.add(new ConfigError(f.name(), i + 1, null, "kind", 1, "unknown kind (expected one of VirtualService, DestinationRule, ServiceEntry, WorkloadEntry)"));
                } else if (!name.find()) {
                    errors.add(new ConfigError(f.name(), i + 1, null, "metadata.name", 0, "missing"));
                } else {
                    Matcher ns = NAMESPACE.matcher(text);
                    ResourceKey key = new ResourceKey(k.get(), ns.find() ? ns.group(1) : "default", name.group(1));
                    merged.put(key, new StoredDocument(key, text + "\n"));
                }
            }
        }
        List<StoredDocument> proposed = List.copyOf(merged.values());
        String diff = workspace.diffAgainstCurrent(proposed);
        int live = workspace.currentInfo().number();
        if (!errors.isEmpty() || dryRun) {
            return new ApplyResult(false, live, errors, diff);
        }
        RevisionInfo r = workspace.commit(proposed, files.stream().map(SourceFile::name).collect(Collectors.joining(", ")));
        if (r.number() != live) {
            publish(new MeshEvent(r.time(), MeshEvent.Type.CONFIG_APPLIED, "revision " + r.number(), "applied " + r.summary()));
        }
        return new ApplyResult(r.number() != live, r.number(), List.of(), diff);
    }

    @Override
    public List<StoredDocument> config(Optional<Kind> kind) {
        return workspace.current().stream().filter(d -> kind.isEmpty() || d.key().kind() == kind.get()).toList();
    }

    @Override
    public List<RevisionInfo> revisions() {
        return workspace.revisions();
    }

    @Override
    public List<StoredDocument> revision(int revision) {
        return workspace.revision(revision).documents();
    }

    @Override
    public String diff(int from, int to) {
        return workspace.diff(from, to);
    }

    @Override
    public synchronized ApplyResult rollback(int revision) {
        List<StoredDocument> docs = workspace.revision(revision).documents();
        String diff = workspace.diffAgainstCurrent(docs);
        int live = workspace.currentInfo().number();
        RevisionInfo r = workspace.commit(docs, "rollback to " + revision);
        return new ApplyResult(r.number() != live, r.number(), List.of(), diff);
    }

    @Override
    public List<ProxyStatus> proxies() {
        return proxies;
    }

    @Override
    public ControllerStatus status() {
        List<ProxyStatus> p = proxies;
        return new ControllerStatus("test", workspace.currentInfo().number(), p.size(),
                (int) p.stream().filter(ProxyStatus::connected).count(),
                (int) p.stream().filter(s -> s.overall() == ProxyStatus.SyncState.NACKED).count(),
                "127.0.0.1:15010", STARTED);
    }

    @Override
    public AutoCloseable subscribe(Consumer<MeshEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() throws IOException {
        workspace.close();
    }
}
