package dev.meshdeck.controller.xds.internal;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts java-control-plane's ADS service in front of the three client habits it does not handle by itself:
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
 *   <li>A client that names its resources may drop a name and ask for it again later: grpc-xds stops
 *       watching a cluster when no route uses it any more, and forgets it. The cache takes the names of
 *       the latest response as what the client holds, so when the name comes back (same version, same
 *       nonce) it sees nothing new and never sends it: the route's traffic to it fails. Such a request is
 *       passed on without a version, as a client's first request is, so the cache answers it at once.</li>
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

    /** One ADS stream: watches the responses going out and adjusts the requests coming in. */
    private static final class Stream extends ServerCallStreamObserver<DiscoveryResponse> {
        private final ServerCallStreamObserver<DiscoveryResponse> responses;
        private final Map<String, DiscoveryResponse> lastSent = new HashMap<>();
        /** The resource names of the latest request per type URL; requests arrive one at a time. */
        private final Map<String, List<String>> lastAsked = new HashMap<>();
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
            List<String> askedBefore = lastAsked.put(request.getTypeUrl(), request.getResourceNamesList());
            DiscoveryResponse latest = lastSent(request.getTypeUrl());
            boolean answersLatest = latest != null && latest.getNonce().equals(request.getResponseNonce());
            if (request.hasErrorDetail()) {
                if (answersLatest) {
                    adjusted = (adjusted == null ? request.toBuilder() : adjusted).setVersionInfo(latest.getVersionInfo());
                }
            } else if (answersLatest && asksAgainForDropped(request, askedBefore, latest)) {
                adjusted = (adjusted == null ? request.toBuilder() : adjusted).clearVersionInfo();
            }
            return adjusted == null ? request : adjusted.build();
        }

        /**
         * Whether {@code request} names a resource that {@code latest} carried but the previous request no
         * longer named: the client dropped it and holds nothing for it. A previous request without names
         * was a wildcard one, which holds everything sent.
         */
        private static boolean asksAgainForDropped(DiscoveryRequest request, List<String> askedBefore,
                                                   DiscoveryResponse latest) {
            if (askedBefore == null || askedBefore.isEmpty()) {
                return false;
            }
            Set<String> before = new HashSet<>(askedBefore);
            List<String> added = request.getResourceNamesList().stream().filter(n -> !before.contains(n)).toList();
            if (added.isEmpty()) {
                return false;
            }
            Set<String> sent = new HashSet<>();
            latest.getResourcesList().forEach(any -> sent.add(Resources.getResourceName(any)));
            return added.stream().anyMatch(sent::contains);
        }

        private synchronized DiscoveryResponse lastSent(String typeUrl) {
            return lastSent.get(typeUrl);
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            synchronized (this) {
                lastSent.put(response.getTypeUrl(), response);
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
