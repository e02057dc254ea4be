package dev.meshdeck.controller.api.grpc.internal;

import com.google.protobuf.Timestamp;
import dev.meshdeck.api.v1.Document;
import dev.meshdeck.api.v1.Event;
import dev.meshdeck.api.v1.EventType;
import dev.meshdeck.api.v1.GetStatusResponse;
import dev.meshdeck.api.v1.MeshCaStatus;
import dev.meshdeck.api.v1.SyncState;
import dev.meshdeck.api.v1.TypeSync;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.Kind;
import dev.meshdeck.controller.config.ResourceKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts between the {@code dev.meshdeck.controller.api} records and the {@code meshdeck.v1} messages,
 * both ways, field for field. Messages from the wire are checked here: a bad one is an
 * {@link IllegalArgumentException} saying what was expected.
 */
public final class Protos {
    private Protos() {
    }

    // --- source files and apply results ---------------------------------------------------------------------

    public static dev.meshdeck.api.v1.SourceFile toProto(SourceFile f) {
        return dev.meshdeck.api.v1.SourceFile.newBuilder().setName(f.name()).setText(f.text()).build();
    }

    public static SourceFile fromProto(dev.meshdeck.api.v1.SourceFile f) {
        return new SourceFile(f.getName(), f.getText());
    }

    public static dev.meshdeck.api.v1.ConfigError toProto(ConfigError e) {
        var b = dev.meshdeck.api.v1.ConfigError.newBuilder()
                .setFile(e.file()).setDocument(e.document()).setLine(e.line()).setMessage(e.message());
        if (e.resource() != null) {
            b.setResource(e.resource());
        }
        if (e.field() != null) {
            b.setField(e.field());
        }
        return b.build();
    }

    public static ConfigError fromProto(dev.meshdeck.api.v1.ConfigError e) {
        return new ConfigError(e.getFile(), e.getDocument(), e.hasResource() ? e.getResource() : null,
                e.hasField() ? e.getField() : null, e.getLine(), e.getMessage());
    }

    public static dev.meshdeck.api.v1.ApplyResponse toProto(ApplyResult r) {
        return dev.meshdeck.api.v1.ApplyResponse.newBuilder()
                .setApplied(r.applied()).setRevision(r.revision()).setDiff(r.diff())
                .addAllErrors(r.errors().stream().map(Protos::toProto).toList())
                .build();
    }

    public static ApplyResult fromProto(dev.meshdeck.api.v1.ApplyResponse r) {
        return new ApplyResult(r.getApplied(), r.getRevision(),
                r.getErrorsList().stream().map(Protos::fromProto).toList(), r.getDiff());
    }

    // --- documents ------------------------------------------------------------------------------------------

    public static dev.meshdeck.api.v1.ResourceKey toProto(ResourceKey k) {
        return dev.meshdeck.api.v1.ResourceKey.newBuilder()
                .setKind(k.kind().kindName()).setNamespace(k.namespace()).setName(k.name()).build();
    }

    public static ResourceKey fromProto(dev.meshdeck.api.v1.ResourceKey k) {
        return new ResourceKey(kind(k.getKind()), k.getNamespace(), k.getName());
    }

    public static Document toProto(StoredDocument d) {
        return Document.newBuilder().setKey(toProto(d.key())).setYaml(d.yaml()).build();
    }

    public static StoredDocument fromProto(Document d) {
        return new StoredDocument(fromProto(d.getKey()), d.getYaml());
    }

    /** A kind by its kind name ({@code VirtualService}) or command-line name ({@code vs}). */
    public static Kind kind(String name) {
        return Kind.fromKindName(name).or(() -> Kind.fromCliName(name))
                .orElseThrow(() -> new IllegalArgumentException("kind: '" + name + "' (expected one of: "
                        + String.join(", ", java.util.Arrays.stream(Kind.values()).map(Kind::kindName).toList()) + ")"));
    }

    // --- revisions ------------------------------------------------------------------------------------------

    public static dev.meshdeck.api.v1.RevisionInfo toProto(RevisionInfo r) {
        return dev.meshdeck.api.v1.RevisionInfo.newBuilder()
                .setNumber(r.number()).setTime(timestamp(r.time())).setSource(r.source())
                .setResources(r.resources()).setSummary(r.summary()).build();
    }

    public static RevisionInfo fromProto(dev.meshdeck.api.v1.RevisionInfo r) {
        return new RevisionInfo(r.getNumber(), instant(r.getTime()), r.getSource(), r.getResources(), r.getSummary());
    }

    // --- proxies --------------------------------------------------------------------------------------------

    public static dev.meshdeck.api.v1.ProxyStatus toProto(ProxyStatus p) {
        var b = dev.meshdeck.api.v1.ProxyStatus.newBuilder()
                .setNodeId(p.nodeId()).setService(nullToEmpty(p.service())).setNamespace(nullToEmpty(p.namespace()))
                .putAllLabels(p.labels()).setAddress(nullToEmpty(p.address())).setConnected(p.connected());
        p.types().forEach((type, sync) -> b.putTypes(type, TypeSync.newBuilder()
                .setSent(sync.sent()).setAcked(sync.acked()).setNack(sync.nack())
                .setState(SyncState.valueOf(sync.state().name())).build()));
        if (p.connectedSince() != null) {
            b.setConnectedSince(timestamp(p.connectedSince()));
        }
        return b.build();
    }

    public static ProxyStatus fromProto(dev.meshdeck.api.v1.ProxyStatus p) {
        Map<String, ProxyStatus.TypeSync> types = new LinkedHashMap<>();
        p.getTypesMap().forEach((type, sync) -> types.put(type, new ProxyStatus.TypeSync(
                sync.getSent(), sync.getAcked(), sync.getNack(), syncState(sync.getState()))));
        return new ProxyStatus(p.getNodeId(), p.getService(), p.getNamespace(), p.getLabelsMap(), p.getAddress(),
                p.getConnected(), types, p.hasConnectedSince() ? instant(p.getConnectedSince()) : null);
    }

    private static ProxyStatus.SyncState syncState(SyncState s) {
        return switch (s) {
            case SYNCED -> ProxyStatus.SyncState.SYNCED;
            case STALE -> ProxyStatus.SyncState.STALE;
            case NACKED -> ProxyStatus.SyncState.NACKED;
            case NOT_SENT -> ProxyStatus.SyncState.NOT_SENT;
            case SYNC_STATE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("sync state: " + s + " (expected: SYNCED, STALE, NACKED or NOT_SENT)");
        };
    }

    // --- events and status ----------------------------------------------------------------------------------

    public static Event toProto(MeshEvent e) {
        return Event.newBuilder().setTime(timestamp(e.time())).setType(EventType.valueOf(e.type().name()))
                .setSubject(e.subject()).setMessage(e.message()).build();
    }

    public static MeshEvent fromProto(Event e) {
        if (e.getType() == EventType.EVENT_TYPE_UNSPECIFIED || e.getType() == EventType.UNRECOGNIZED) {
            throw new IllegalArgumentException("event type: " + e.getType() + " (expected one of "
                    + List.of(MeshEvent.Type.values()) + ")");
        }
        return new MeshEvent(instant(e.getTime()), MeshEvent.Type.valueOf(e.getType().name()), e.getSubject(), e.getMessage());
    }

    public static GetStatusResponse toProto(ControllerStatus s) {
        GetStatusResponse.Builder b = GetStatusResponse.newBuilder().setVersion(s.version()).setRevision(s.revision())
                .setProxies(s.proxies()).setConnectedProxies(s.connectedProxies()).setNackedProxies(s.nackedProxies())
                .setXdsAddress(s.xdsAddress()).setStarted(timestamp(s.started()));
        s.ca().ifPresent(ca -> b.setCa(MeshCaStatus.newBuilder().setTrustDomain(ca.trustDomain())
                .setRootFingerprint(ca.rootFingerprint()).setRootNotAfter(timestamp(ca.rootNotAfter()))));
        return b.build();
    }

    public static ControllerStatus fromProto(GetStatusResponse s) {
        Optional<ControllerStatus.MeshCa> ca = s.hasCa()
                ? Optional.of(new ControllerStatus.MeshCa(s.getCa().getTrustDomain(), s.getCa().getRootFingerprint(),
                        instant(s.getCa().getRootNotAfter())))
                : Optional.empty();
        return new ControllerStatus(s.getVersion(), s.getRevision(), s.getProxies(), s.getConnectedProxies(),
                s.getNackedProxies(), s.getXdsAddress(), instant(s.getStarted()), ca);
    }

    // --- time -----------------------------------------------------------------------------------------------

    public static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    public static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
