package dev.meshdeck.controller.bench;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An xDS client that behaves like a proxy on one ADS stream: it sends its node, subscribes to every
 * resource of the given types, and answers each response with an ACK, or with a NACK when its
 * {@link Reviewer} rejects it. It applies nothing; it is for load tests and protocol tests.
 */
public final class SimulatedProxy implements AutoCloseable {

    /** Decides whether the proxy accepts a response. */
    @FunctionalInterface
    public interface Reviewer {
        /** Empty to ACK {@code response}, or the error to NACK it with. */
        Optional<String> review(DiscoveryResponse response);

        Reviewer ACCEPT_ALL = response -> Optional.empty();
    }

    /** Hears every ACK the proxy sends. */
    @FunctionalInterface
    public interface AckListener {
        /** Called on a gRPC thread just after the ACK of {@code version} of {@code typeUrl} went out. */
        void acked(SimulatedProxy proxy, String typeUrl, String version, long nanoTime);
    }

    private static final MethodDescriptor<DiscoveryRequest, DiscoveryResponse> HEADERS_ONLY =
            AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod().toBuilder(
                    ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()), new ResponseHeaders()).build();

    private final Node node;
    private final List<String> typeUrls;
    private final Reviewer reviewer;
    private final AckListener ackListener;
    private final Map<String, String> accepted = new HashMap<>();
    private final Map<String, DiscoveryResponse> lastReceived = new HashMap<>();
    private final Map<String, Integer> receivedCount = new HashMap<>();
    private final ClientCallStreamObserver<DiscoveryRequest> requests;
    private volatile Status closedWith;

    /** How much of each response the proxy reads. */
    public enum Reading {
        /** All of it, resources included. */
        WHOLE,
        /**
         * Only what an ACK needs (version, type and nonce); the resources are skipped unparsed, so that a
         * thousand simulated proxies in one JVM cost little more than their streams. The responses the
         * {@link Reviewer} sees and {@link #lastReceived} gives have no resources.
         */
        HEADERS
    }

    /** Opens the stream on {@code channel}, reading whole responses, and subscribes to {@code typeUrls}, in that order. */
    public SimulatedProxy(Channel channel, Node node, List<String> typeUrls, Reviewer reviewer, AckListener ackListener) {
        this(channel, Reading.WHOLE, node, typeUrls, reviewer, ackListener);
    }

    /** Opens the stream on {@code channel} and subscribes to {@code typeUrls}, in that order. */
    public SimulatedProxy(Channel channel, Reading reading, Node node, List<String> typeUrls, Reviewer reviewer,
                          AckListener ackListener) {
        this.node = Objects.requireNonNull(node, "node");
        this.typeUrls = List.copyOf(typeUrls);
        this.reviewer = Objects.requireNonNull(reviewer, "reviewer");
        this.ackListener = Objects.requireNonNull(ackListener, "ackListener");
        Responses responses = new Responses();
        if (reading == Reading.WHOLE) {
            AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(responses);
        } else {
            ClientCalls.asyncBidiStreamingCall(channel.newCall(HEADERS_ONLY, CallOptions.DEFAULT), responses);
        }
        this.requests = responses.requests;
        synchronized (this) {
            for (String typeUrl : this.typeUrls) {
                requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl).build());
            }
        }
    }

    public String nodeId() {
        return node.getId();
    }

    /** The version of {@code typeUrl} last ACKed, or "" if none. */
    public synchronized String accepted(String typeUrl) {
        return accepted.getOrDefault(typeUrl, "");
    }

    /** The last response of {@code typeUrl} received, if any. */
    public synchronized Optional<DiscoveryResponse> lastReceived(String typeUrl) {
        return Optional.ofNullable(lastReceived.get(typeUrl));
    }

    /** How many responses of {@code typeUrl} were received. */
    public synchronized int receivedCount(String typeUrl) {
        return receivedCount.getOrDefault(typeUrl, 0);
    }

    /** How the server ended the stream, if it did. */
    public Optional<Status> closedWith() {
        return Optional.ofNullable(closedWith);
    }

    /** Ends the stream the polite way (half-close). */
    @Override
    public synchronized void close() {
        try {
            requests.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // cancelled before
        }
    }

    /** Drops the stream as a crashing proxy would. */
    public void cancel() {
        requests.cancel("proxy gone", null);
    }

    private synchronized void answer(DiscoveryResponse response) {
        lastReceived.put(response.getTypeUrl(), response);
        receivedCount.merge(response.getTypeUrl(), 1, Integer::sum);
        Optional<String> error = reviewer.review(response);
        DiscoveryRequest.Builder reply = DiscoveryRequest.newBuilder()
                .setNode(node)
                .setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce());
        if (error.isPresent()) {
            reply.setVersionInfo(accepted(response.getTypeUrl()))
                    .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error.get()));
            requests.onNext(reply.build());
            return;
        }
        accepted.put(response.getTypeUrl(), response.getVersionInfo());
        requests.onNext(reply.setVersionInfo(response.getVersionInfo()).build());
        ackListener.acked(this, response.getTypeUrl(), response.getVersionInfo(), System.nanoTime());
    }

    private final class Responses implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
        ClientCallStreamObserver<DiscoveryRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            answer(response);
        }

        @Override
        public void onError(Throwable t) {
            closedWith = Status.fromThrowable(t);
        }

        @Override
        public void onCompleted() {
            closedWith = Status.OK;
        }
    }
}
