package dev.meshdeck.controller.api.grpc;

import dev.meshdeck.api.v1.ApplyRequest;
import dev.meshdeck.api.v1.ApplyResponse;
import dev.meshdeck.api.v1.DiffRevisionsRequest;
import dev.meshdeck.api.v1.DiffRevisionsResponse;
import dev.meshdeck.api.v1.Event;
import dev.meshdeck.api.v1.GetConfigRequest;
import dev.meshdeck.api.v1.GetConfigResponse;
import dev.meshdeck.api.v1.GetRevisionRequest;
import dev.meshdeck.api.v1.GetRevisionResponse;
import dev.meshdeck.api.v1.GetStatusRequest;
import dev.meshdeck.api.v1.GetStatusResponse;
import dev.meshdeck.api.v1.ListProxiesRequest;
import dev.meshdeck.api.v1.ListProxiesResponse;
import dev.meshdeck.api.v1.ListRevisionsRequest;
import dev.meshdeck.api.v1.ListRevisionsResponse;
import dev.meshdeck.api.v1.MeshControlGrpc;
import dev.meshdeck.api.v1.RollbackRequest;
import dev.meshdeck.controller.api.ControlPlane;
import dev.meshdeck.controller.api.grpc.internal.EventStream;
import dev.meshdeck.controller.api.grpc.internal.Protos;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code meshdeck.v1.MeshControl} service over a {@link ControlPlane}: converts messages to records and
 * back, and nothing else. A request the control plane rejects ({@link IllegalArgumentException}) is
 * INVALID_ARGUMENT, an unknown revision ({@link NoSuchElementException}) NOT_FOUND, anything else INTERNAL;
 * the status description is the exception's message.
 */
public final class MeshControlService extends MeshControlGrpc.MeshControlImplBase {
    private static final Logger LOG = Logger.getLogger(MeshControlService.class.getName());

    private final ControlPlane controlPlane;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

    public MeshControlService(ControlPlane controlPlane) {
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
    }

    @Override
    public void apply(ApplyRequest request, StreamObserver<ApplyResponse> out) {
        unary(out, () -> Protos.toProto(controlPlane.apply(
                request.getFilesList().stream().map(Protos::fromProto).toList(),
                request.getDryRun(), request.getReplace())));
    }

    @Override
    public void getConfig(GetConfigRequest request, StreamObserver<GetConfigResponse> out) {
        unary(out, () -> GetConfigResponse.newBuilder()
                .addAllDocuments(controlPlane.config(request.getKind().isEmpty()
                                ? Optional.empty() : Optional.of(Protos.kind(request.getKind())))
                        .stream().map(Protos::toProto).toList())
                .build());
    }

    @Override
    public void getRevision(GetRevisionRequest request, StreamObserver<GetRevisionResponse> out) {
        unary(out, () -> GetRevisionResponse.newBuilder()
                .addAllDocuments(controlPlane.revision(request.getRevision()).stream().map(Protos::toProto).toList())
                .build());
    }

    @Override
    public void listRevisions(ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> out) {
        unary(out, () -> ListRevisionsResponse.newBuilder()
                .addAllRevisions(controlPlane.revisions().stream().map(Protos::toProto).toList())
                .build());
    }

    @Override
    public void diffRevisions(DiffRevisionsRequest request, StreamObserver<DiffRevisionsResponse> out) {
        unary(out, () -> DiffRevisionsResponse.newBuilder()
                .setDiff(controlPlane.diff(request.getFrom(), request.getTo())).build());
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<ApplyResponse> out) {
        unary(out, () -> Protos.toProto(controlPlane.rollback(request.getRevision())));
    }

    @Override
    public void listProxies(ListProxiesRequest request, StreamObserver<ListProxiesResponse> out) {
        unary(out, () -> ListProxiesResponse.newBuilder()
                .addAllProxies(controlPlane.proxies().stream().map(Protos::toProto).toList())
                .build());
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> out) {
        unary(out, () -> Protos.toProto(controlPlane.status()));
    }

    @Override
    public void watchEvents(dev.meshdeck.api.v1.WatchEventsRequest request, StreamObserver<Event> out) {
        ServerCallStreamObserver<Event> serverOut = (ServerCallStreamObserver<Event>) out;
        EventStream stream = new EventStream(serverOut, streams::remove);
        AutoCloseable subscription;
        try {
            subscription = controlPlane.subscribe(stream);
        } catch (RuntimeException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        }
        // Counted only once subscribed: n open streams means n clients hear every event from now on.
        streams.add(stream);
        if (!stream.attach(subscription)) {
            streams.remove(stream); // cancelled before it was counted
        }
    }

    /** Ends every open event stream normally; the server calls this when it shuts down. */
    public void completeEventStreams() {
        for (EventStream s : List.copyOf(streams)) {
            s.complete();
        }
    }

    /** How many event streams are open and subscribed to the control plane's events. */
    public int openEventStreams() {
        return streams.size();
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    private static Status toStatus(RuntimeException e) {
        if (e instanceof NoSuchElementException) {
            return Status.NOT_FOUND.withDescription(e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        LOG.log(Level.WARNING, "meshdeck.v1 call failed", e);
        return Status.INTERNAL.withDescription(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
