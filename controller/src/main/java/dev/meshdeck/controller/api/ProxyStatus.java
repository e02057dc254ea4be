package dev.meshdeck.controller.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A proxy's sync state, like {@code istioctl proxy-status}.
 *
 * @param nodeId     the node id
 * @param service    the service behind it
 * @param namespace  its namespace
 * @param labels     its workload labels
 * @param address    address:inboundPort, or empty for a client without inbound
 * @param connected  whether its ADS stream is open (a gone proxy stays listed during the grace period)
 * @param types      per xDS type short name ({@code LDS}, {@code RDS}, {@code CDS}, {@code EDS}, {@code SDS})
 * @param connectedSince when its current stream opened
 */
public record ProxyStatus(String nodeId, String service, String namespace, Map<String, String> labels,
                          String address, boolean connected, Map<String, TypeSync> types, Instant connectedSince) {

    public enum SyncState {
        /** The last version sent was ACKed. */
        SYNCED,
        /** A version was sent and is not ACKed (yet), or none was sent though one exists. */
        STALE,
        /** The proxy rejected the last version sent. */
        NACKED,
        /** Nothing of this type was ever sent. */
        NOT_SENT
    }

    public ProxyStatus {
        Objects.requireNonNull(nodeId, "nodeId");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        types = Map.copyOf(types == null ? Map.of() : types);
    }

    /** The worst state over all types: NACKED over STALE over SYNCED; NOT_SENT counts as nothing. */
    public SyncState overall() {
        SyncState worst = SyncState.SYNCED;
        for (TypeSync t : types.values()) {
            if (t.state() == SyncState.NACKED) {
                return SyncState.NACKED;
            }
            if (t.state() == SyncState.STALE) {
                worst = SyncState.STALE;
            }
        }
        return worst;
    }

    /**
     * One xDS type's sync state.
     *
     * @param sent      the version last sent ("" if none)
     * @param acked     the version last ACKed ("" if none)
     * @param nack      the error the proxy gave with its last NACK of {@code sent} ("" if none)
     * @param state     the resulting state
     */
    public record TypeSync(String sent, String acked, String nack, SyncState state) {
        public TypeSync {
            sent = sent == null ? "" : sent;
            acked = acked == null ? "" : acked;
            nack = nack == null ? "" : nack;
            Objects.requireNonNull(state, "state");
        }
    }
}
