package dev.meshdeck.controller;

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
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.ResourceKey;
import dev.meshdeck.controller.config.load.ConfigLoader;
import dev.meshdeck.controller.config.load.ConfigValidator;
import dev.meshdeck.controller.config.load.LoadResult;
import dev.meshdeck.controller.config.load.LoadedDocument;
import dev.meshdeck.controller.internal.CoalescingRunner;
import dev.meshdeck.controller.internal.EventBus;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import dev.meshdeck.controller.workspace.Workspace;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The controller's config side: apply (load, validate, persist as a revision, make live), rollback,
 * and re-translation of the mesh whenever the config or the registry changes. The xDS serving side is
 * given to it as a {@link MeshPublisher}; the gRPC API is an adapter over this {@link ControlPlane}.
 */
public final class MeshController implements ControlPlane, AutoCloseable {

    /** The xDS side, as the config side needs it: where translated meshes go, and what the proxies are doing. */
    public interface MeshPublisher {
        /** Makes {@code mesh} what every proxy is served. */
        void publish(TranslatedMesh mesh);

        /** The proxies in the mesh now: the registry half of the translation's input. */
        RegistryState registry();

        /** Every proxy's sync state. */
        List<ProxyStatus> proxies();

        /** Where sidecars reach the xDS server, {@code host:port}. */
        String xdsAddress();

        /** The mesh CA's root, when the controller runs a CA. */
        Optional<ControllerStatus.MeshCa> ca();
    }

    private final Workspace workspace;
    private final ConfigLoader loader = new ConfigLoader();
    private final ConfigValidator validator = new ConfigValidator();
    private final Clock clock;
    private final EventBus events;
    private final Object applyLock = new Object();
    private final MeshTranslator translator;
    private final Instant started;
    private final ExecutorService translateExecutor;
    private final CoalescingRunner retranslate;
    private volatile MeshPublisher publisher;

    /** The live config: its documents as loaded (for validation of later applies) and the records. */
    private volatile List<LoadedDocument> live;
    private volatile MeshConfig liveConfig;

    public MeshController(Workspace workspace, Clock clock, EventBus events) {
        this(workspace, clock, events, new MeshTranslator());
    }

    /** A controller translating with {@code translator} (trust domain, inbound TLS). */
    public MeshController(Workspace workspace, Clock clock, EventBus events, MeshTranslator translator) {
        this.translator = java.util.Objects.requireNonNull(translator, "translator");
        this.workspace = workspace;
        this.clock = clock;
        this.events = events;
        this.started = clock.instant();
        this.translateExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "meshdeck-translate");
            t.setDaemon(true);
            return t;
        });
        this.retranslate = new CoalescingRunner(translateExecutor, this::translateAndPublish);
        LoadResult current = loadStored(workspace.current(), "workspace revision " + currentRevision());
        if (!current.ok()) {
            throw new IllegalStateException("the workspace's live config no longer loads: " + current.errors());
        }
        this.live = current.documents();
        this.liveConfig = toConfig(live);
    }

    /** Starts publishing: every config or registry change from now on re-translates the mesh. */
    public void attach(MeshPublisher publisher) {
        this.publisher = publisher;
        retranslate.request();
    }

    /** Asks for a re-translation (the registry changed). Cheap; bursts are coalesced. */
    public void registryChanged() {
        retranslate.request();
    }

    /** The live config's records. */
    public MeshConfig liveConfig() {
        return liveConfig;
    }

    public int currentRevision() {
        return workspace.currentInfo().number();
    }

    /** The mesh as translated from the live config and the registry now. */
    public TranslatedMesh translate(RegistryState registry) {
        return translator.translate(liveConfig, registry);
    }

    @Override
    public ApplyResult apply(List<SourceFile> files, boolean dryRun, boolean replace) {
        List<ConfigError> errors = new ArrayList<>();
        List<LoadedDocument> incoming = new ArrayList<>();
        for (SourceFile f : files) {
            LoadResult r = loader.load(f.name(), f.text());
            errors.addAll(r.errors());
            incoming.addAll(r.documents());
        }
        String source = String.join(", ", files.stream().map(SourceFile::name).toList());
        synchronized (applyLock) {
            if (!errors.isEmpty()) {
                return new ApplyResult(false, currentRevision(), errors, "");
            }
            // A key repeated within the input is an error; one repeating a live resource replaces it.
            errors.addAll(validator.duplicates(incoming));
            Map<ResourceKey, LoadedDocument> merged = new TreeMap<>();
            if (!replace) {
                live.forEach(d -> merged.put(d.key(), d));
            }
            incoming.forEach(d -> merged.put(d.key(), d));
            List<LoadedDocument> next = List.copyOf(merged.values());
            errors.addAll(validator.validate(next));
            List<ConfigError> distinct = errors.stream().distinct().toList();
            if (!distinct.isEmpty()) {
                return new ApplyResult(false, currentRevision(), distinct, "");
            }
            return commit(next, source, dryRun, MeshEvent.Type.CONFIG_APPLIED);
        }
    }

    @Override
    public ApplyResult rollback(int revision) {
        synchronized (applyLock) {
            List<StoredDocument> docs = workspace.revision(revision).documents(); // NoSuchElementException names it
            LoadResult r = loadStored(docs, "revision " + revision);
            List<ConfigError> errors = new ArrayList<>(r.errors());
            errors.addAll(validator.validate(r.documents()));
            if (!errors.isEmpty()) {
                return new ApplyResult(false, currentRevision(), errors, "");
            }
            return commit(r.documents(), "rollback to " + revision, false, MeshEvent.Type.CONFIG_ROLLED_BACK);
        }
    }

    private ApplyResult commit(List<LoadedDocument> next, String source, boolean dryRun, MeshEvent.Type eventType) {
        List<StoredDocument> nextDocs = next.stream()
                .map(d -> new StoredDocument(d.resource().key(), d.text())).toList();
        String diff = workspace.diffAgainstCurrent(nextDocs);
        if (dryRun) {
            return new ApplyResult(false, currentRevision(), List.of(), diff);
        }
        int before = currentRevision();
        RevisionInfo info = workspace.commit(nextDocs, source, clock.instant());
        if (info.number() == before) {
            return new ApplyResult(false, before, List.of(), "");
        }
        live = List.copyOf(next);
        liveConfig = toConfig(live);
        events.publish(new MeshEvent(clock.instant(), eventType, "revision " + info.number(),
                (eventType == MeshEvent.Type.CONFIG_ROLLED_BACK ? "rolled back: " : "applied ") + source
                        + " (" + info.summary() + ")"));
        retranslate.request();
        return new ApplyResult(true, info.number(), List.of(), diff);
    }

    private void translateAndPublish() {
        MeshPublisher p = publisher;
        if (p == null) {
            return;
        }
        p.publish(translate(p.registry()));
    }

    @Override
    public List<StoredDocument> config(Optional<Kind> kind) {
        return workspace.current().stream()
                .filter(d -> kind.isEmpty() || d.key().kind() == kind.get())
                .toList();
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
    public List<ProxyStatus> proxies() {
        MeshPublisher p = publisher;
        return p == null ? List.of() : p.proxies();
    }

    @Override
    public ControllerStatus status() {
        MeshPublisher p = publisher;
        List<ProxyStatus> proxies = proxies();
        int connected = (int) proxies.stream().filter(ProxyStatus::connected).count();
        int nacked = (int) proxies.stream().filter(s -> s.overall() == ProxyStatus.SyncState.NACKED).count();
        return new ControllerStatus(version(), currentRevision(), proxies.size(), connected, nacked,
                p == null ? "" : p.xdsAddress(), started, p == null ? Optional.empty() : p.ca());
    }

    /** The controller's version from its jar manifest, {@code dev} when run from classes. */
    public static String version() {
        String v = MeshController.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public AutoCloseable subscribe(Consumer<MeshEvent> listener) {
        return events.subscribe(listener);
    }

    @Override
    public void close() {
        translateExecutor.shutdownNow();
    }

    private LoadResult loadStored(List<StoredDocument> docs, String label) {
        StringBuilder text = new StringBuilder();
        for (StoredDocument d : docs) {
            text.append(d.yaml());
            if (!d.yaml().endsWith("\n")) {
                text.append('\n');
            }
            text.append("---\n");
        }
        return loader.load(label, text.toString());
    }

    private static MeshConfig toConfig(List<LoadedDocument> docs) {
        return new MeshConfig(docs.stream().map(LoadedDocument::resource).toList());
    }
}
