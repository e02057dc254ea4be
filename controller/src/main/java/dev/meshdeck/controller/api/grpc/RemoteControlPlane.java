package dev.meshdeck.controller.api.grpc;

import dev.meshdeck.api.v1.DiffRevisionsRequest;
import dev.meshdeck.api.v1.Event;
import dev.meshdeck.api.v1.GetConfigRequest;
import dev.meshdeck.api.v1.GetRevisionRequest;
import dev.meshdeck.api.v1.GetStatusRequest;
import dev.meshdeck.api.v1.ListProxiesRequest;
import dev.meshdeck.api.v1.ListRevisionsRequest;
import dev.meshdeck.api.v1.MeshControlGrpc;
import dev.meshdeck.api.v1.RollbackRequest;
import dev.meshdeck.api.v1.WatchEventsRequest;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ControlPlane;
import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.ControllerUnavailableException;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.api.grpc.internal.Protos;
import dev.meshdeck.controller.config.Kind;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link ControlPlane} on the far side of a {@code meshdeck.v1} channel: the console's and the command
 * line's way to a controller, in process ({@link #inProcess}) or over the network ({@link #connect}).
 * Errors come back as the exceptions the interface documents: {@link IllegalArgumentException},
 * {@link NoSuchElementException}, and {@link ControllerUnavailableException} when the controller cannot be
 * reached or does not answer within the call timeout.
 */
public final class RemoteControlPlane implements ControlPlane, AutoCloseable {
    /** How long a call may take by default; applying a large config is the slowest. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ManagedChannel channel;
    private final String target;
    private final Duration timeout;
    private final MeshControlGrpc.MeshControlBlockingStub blocking;
    private final MeshControlGrpc.MeshControlStub async;

    /**
     * Wraps a channel, which this object then owns and shuts down on {@link #close}.
     *
     * @param target  how to name the controller in errors, e.g. {@code 127.0.0.1:15020}
     * @param timeout the deadline of each unary call
     */
    public RemoteControlPlane(ManagedChannel channel, String target, Duration timeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.target = Objects.requireNonNull(target, "target");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.blocking = MeshControlGrpc.newBlockingStub(channel);
        this.async = MeshControlGrpc.newStub(channel);
    }

    /** A plaintext connection to a controller's API at {@code address} (see {@link ApiServer}). */
    public static RemoteControlPlane connect(HostPort address) {
        if (address.port() == 0) {
            throw new IllegalArgumentException("controller address " + address + ": port 0 (expected: 1..65535)");
        }
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(address.host(), address.port(),
                        InsecureChannelCredentials.create())
                .maxInboundMessageSize(ApiServer.MAX_MESSAGE_BYTES)
                .build();
        return new RemoteControlPlane(channel, address.toString(), DEFAULT_TIMEOUT);
    }

    /** A connection to an embedded controller's {@link ApiServer#startInProcess in-process server}. */
    public static RemoteControlPlane inProcess(String serverName) {
        ManagedChannel channel = InProcessChannelBuilder.forName(serverName)
                .maxInboundMessageSize(ApiServer.MAX_MESSAGE_BYTES)
                .build();
        return new RemoteControlPlane(channel, "in-process:" + serverName, DEFAULT_TIMEOUT);
    }

    /** The controller's address as used in error messages. */
    public String target() {
        return target;
    }

    @Override
    public ApplyResult apply(List<SourceFile> files, boolean dryRun, boolean replace) {
        var request = dev.meshdeck.api.v1.ApplyRequest.newBuilder()
                .addAllFiles(files.stream().map(Protos::toProto).toList())
                .setDryRun(dryRun).setReplace(replace).build();
        return call(() -> Protos.fromProto(stub().apply(request)));
    }

    @Override
    public List<StoredDocument> config(Optional<Kind> kind) {
        var request = GetConfigRequest.newBuilder().setKind(kind.map(Kind::kindName).orElse("")).build();
        return call(() -> stub().getConfig(request).getDocumentsList().stream().map(Protos::fromProto).toList());
    }

    @Override
    public List<RevisionInfo> revisions() {
        return call(() -> stub().listRevisions(ListRevisionsRequest.getDefaultInstance())
                .getRevisionsList().stream().map(Protos::fromProto).toList());
    }

    @Override
    public List<StoredDocument> revision(int revision) {
        var request = GetRevisionRequest.newBuilder().setRevision(revision).build();
        return call(() -> stub().getRevision(request).getDocumentsList().stream().map(Protos::fromProto).toList());
    }

    @Override
    public String diff(int from, int to) {
        var request = DiffRevisionsRequest.newBuilder().setFrom(from).setTo(to).build();
        return call(() -> stub().diffRevisions(request).getDiff());
    }

    @Override
    public ApplyResult rollback(int revision) {
        var request = RollbackRequest.newBuilder().setRevision(revision).build();
        return call(() -> Protos.fromProto(stub().rollback(request)));
    }

    @Override
    public List<ProxyStatus> proxies() {
        return call(() -> stub().listProxies(ListProxiesRequest.getDefaultInstance())
                .getProxiesList().stream().map(Protos::fromProto).toList());
    }

    @Override
    public ControllerStatus status() {
        return call(() -> Protos.fromProto(stub().getStatus(GetStatusRequest.getDefaultInstance())));
    }

    /** Subscribes; if the stream ends from the controller's side, events simply stop. */
    @Override
    public AutoCloseable subscribe(Consumer<MeshEvent> listener) {
        return subscribe(listener, end -> { });
    }

    /**
     * Subscribes to the event stream.
     *
     * @param listener called with each event, on a gRPC thread, one at a time
     * @param onEnd    called once if the stream ends other than by closing the returned handle: with empty
     *                 when the controller completed it (it shut down), else with the error, as the
     *                 exception the interface documents (e.g. {@link ControllerUnavailableException})
     */
    public AutoCloseable subscribe(Consumer<MeshEvent> listener, Consumer<Optional<RuntimeException>> onEnd) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(onEnd, "onEnd");
        Subscription subscription = new Subscription(listener, onEnd);
        async.watchEvents(WatchEventsRequest.getDefaultInstance(), subscription);
        return subscription;
    }

    /** Shuts the channel down, waiting briefly for calls in flight. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private MeshControlGrpc.MeshControlBlockingStub stub() {
        return blocking.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    private RuntimeException translate(StatusRuntimeException e) {
        Status s = e.getStatus();
        String description = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
        return switch (s.getCode()) {
            case INVALID_ARGUMENT, RESOURCE_EXHAUSTED -> new IllegalArgumentException(description, e);
            case NOT_FOUND -> new NoSuchElementException(description);
            case UNAVAILABLE -> new ControllerUnavailableException(target, reason(e), e);
            case DEADLINE_EXCEEDED -> new ControllerUnavailableException(target,
                    "no answer within " + timeout.toSeconds() + " s", e);
            default -> new IllegalStateException("controller at " + target + " failed: " + s.getCode() + ": " + description, e);
        };
    }

    /** A short reason for people: "connection refused", "unknown host foo", or gRPC's description. */
    private static String reason(StatusRuntimeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
                return m.contains("refused") ? "connection refused" : "cannot connect (" + t.getMessage() + ")";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
        }
        String d = e.getStatus().getDescription();
        return d == null || d.isEmpty() ? "unavailable" : d;
    }

    /** One WatchEvents call; closing it cancels the call. */
    private final class Subscription implements ClientResponseObserver<WatchEventsRequest, Event>, AutoCloseable {
        private final Consumer<MeshEvent> listener;
        private final Consumer<Optional<RuntimeException>> onEnd;
        private volatile ClientCallStreamObserver<WatchEventsRequest> call;
        private volatile boolean closed;

        Subscription(Consumer<MeshEvent> listener, Consumer<Optional<RuntimeException>> onEnd) {
            this.listener = listener;
            this.onEnd = onEnd;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchEventsRequest> requestStream) {
            this.call = requestStream;
        }

        @Override
        public void onNext(Event event) {
            if (!closed) {
                listener.accept(Protos.fromProto(event));
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!closed) {
                RuntimeException error = t instanceof StatusRuntimeException sre ? translate(sre)
                        : new IllegalStateException("event stream from " + target + " failed: " + t.getMessage(), t);
                onEnd.accept(Optional.of(error));
            }
        }

        @Override
        public void onCompleted() {
            if (!closed) {
                onEnd.accept(Optional.empty());
            }
        }

        @Override
        public void close() {
            closed = true;
            ClientCallStreamObserver<WatchEventsRequest> c = call;
            if (c != null) {
                c.cancel("unsubscribed", null);
            }
        }
    }
}
