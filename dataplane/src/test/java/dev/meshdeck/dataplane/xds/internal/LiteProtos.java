package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.InvalidProtocolBufferException;

/** Fixtures are built with Envoy's full classes; the sidecar reads its own lite classes, converted by bytes. */
final class LiteProtos {
    private LiteProtos() {
    }

    static dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster cluster(
            io.envoyproxy.envoy.config.cluster.v3.Cluster c) {
        try {
            return dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster.parseFrom(c.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener listener(
            io.envoyproxy.envoy.config.listener.v3.Listener l) {
        try {
            return dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener.parseFrom(l.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
