package dev.meshdeck.controller.bench;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Times ACKs as the controller receives them, on the controller's clock: once {@linkplain #arm armed} with
 * each node's current version of one xDS type, it notes when each node first ACKs another version. Hook it
 * into the xDS server as one of its callbacks.
 */
final class AckClock implements DiscoveryServerCallbacks {

    /** The first ACK of a new version by one node. */
    record Ack(String version, long nanoTime) {
    }

    private final String typeUrl;
    private final ConcurrentHashMap<String, Ack> acks = new ConcurrentHashMap<>();
    private volatile Map<String, String> before = Map.of();
    private volatile CountDownLatch pending = new CountDownLatch(0);

    AckClock(String typeUrl) {
        this.typeUrl = typeUrl;
    }

    /** Starts waiting for every node of {@code versionsBefore} (node id to version) to ACK a different version. */
    void arm(Map<String, String> versionsBefore) {
        acks.clear();
        pending = new CountDownLatch(versionsBefore.size());
        before = Map.copyOf(versionsBefore);
    }

    /**
     * The ACKs, by node id, once every armed node has sent one.
     *
     * @throws IllegalStateException if some did not within {@code timeout}
     */
    Map<String, Ack> await(Duration timeout) throws InterruptedException {
        CountDownLatch latch = pending;
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(latch.getCount() + " of " + before.size()
                    + " proxies did not ACK a new version within " + timeout);
        }
        return Map.copyOf(acks);
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        if (request.getResponseNonce().isEmpty() || request.hasErrorDetail() || !typeUrl.equals(request.getTypeUrl())) {
            return;
        }
        String nodeId = request.getNode().getId();
        String old = before.get(nodeId);
        if (old != null && !old.equals(request.getVersionInfo())
                && acks.putIfAbsent(nodeId, new Ack(request.getVersionInfo(), System.nanoTime())) == null) {
            pending.countDown();
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        // The simulated proxies speak state-of-the-world xDS.
    }
}
