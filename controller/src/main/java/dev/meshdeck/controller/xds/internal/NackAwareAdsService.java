package dev.meshdeck.controller.xds.internal;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts java-control-plane's ADS service in front of the two client habits it does not handle by itself:
 *
 * <ul>
 *   <li>A client may send its {@code node} only in a stream's first request (Envoy's
 *       {@code set_node_on_first_message_only}); the snapshot cache groups requests by node, so later
 *       requests get the stream's first node.</li>
 *   <li>A NACK carries the last version the client accepted, which the cache takes for "not up to date"
 *       and answers at once with the rejected version again, in a loop. A NACK of the stream's latest
 *       response of its type is passed on with the rejected version instead, and
 *       {@link NackParkingConfigWatcher} then keeps the watch open until the snapshot changes, as Istio
 *       does. The error detail stays, so callbacks still see a NACK.</li>
 * </ul>
 */
public final class NackAwareAdsService extends AggregatedDiscoveryServiceImplBase {
    private final AggregatedDiscoveryServiceImplBase delegate;

    public NackAwareAdsService(AggregatedDiscoveryServiceImplBase delegate) {
        this.delegate = delegate;
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        Stream stream = new Stream((ServerCallStreamObserver<DiscoveryResponse>) responses);
        stream.requests = delegate.streamAggregatedResources(stream);
        return stream.requestSide();
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(StreamObserver<DeltaDiscoveryResponse> responses) {
        return delegate.deltaAggregatedResources(responses);
    }

    private record Sent(String nonce, String version) {
    }

    /** One ADS stream: watches the responses going out and adjusts the requests coming in. */
    private static final class Stream extends ServerCallStreamObserver<DiscoveryResponse> {
        private final ServerCallStreamObserver<DiscoveryResponse> responses;
        private final Map<String, Sent> lastSent = new HashMap<>();
        private StreamObserver<DiscoveryRequest> requests;
        private Node node;

        Stream(ServerCallStreamObserver<DiscoveryResponse> responses) {
            this.responses = responses;
        }

        StreamObserver<DiscoveryRequest> requestSide() {
            return new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryRequest request) {
                    requests.onNext(adjust(request));
                }

                @Override
                public void onError(Throwable t) {
                    requests.onError(t);
                }

                @Override
                public void onCompleted() {
                    requests.onCompleted();
                }
            };
        }

        private DiscoveryRequest adjust(DiscoveryRequest request) {
            DiscoveryRequest.Builder adjusted = null;
            if (request.hasNode() && !request.getNode().getId().isEmpty()) {
                if (node == null) {
                    node = request.getNode();
                }
            } else if (node != null) {
                adjusted = request.toBuilder().setNode(node);
            }
            if (request.hasErrorDetail()) {
                Sent rejected = lastSent(request.getTypeUrl());
                if (rejected != null && rejected.nonce().equals(request.getResponseNonce())) {
                    adjusted = (adjusted == null ? request.toBuilder() : adjusted).setVersionInfo(rejected.version());
                }
            }
            return adjusted == null ? request : adjusted.build();
        }

        private synchronized Sent lastSent(String typeUrl) {
            return lastSent.get(typeUrl);
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            synchronized (this) {
                lastSent.put(response.getTypeUrl(), new Sent(response.getNonce(), response.getVersionInfo()));
            }
            responses.onNext(response);
        }

        @Override
        public void onError(Throwable t) {
            responses.onError(t);
        }

        @Override
        public void onCompleted() {
            responses.onCompleted();
        }

        @Override
        public boolean isCancelled() {
            return responses.isCancelled();
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {
            responses.setOnCancelHandler(onCancelHandler);
        }

        @Override
        public void setOnCloseHandler(Runnable onCloseHandler) {
            responses.setOnCloseHandler(onCloseHandler);
        }

        @Override
        public void setCompression(String compression) {
            responses.setCompression(compression);
        }

        @Override
        public boolean isReady() {
            return responses.isReady();
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
            responses.setOnReadyHandler(onReadyHandler);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            responses.setOnReadyThreshold(numBytes);
        }

        @Override
        public void disableAutoInboundFlowControl() {
            responses.disableAutoInboundFlowControl();
        }

        @Override
        public void disableAutoRequest() {
            responses.disableAutoRequest();
        }

        @Override
        public void request(int count) {
            responses.request(count);
        }

        @Override
        public void setMessageCompression(boolean enable) {
            responses.setMessageCompression(enable);
        }
    }
}
