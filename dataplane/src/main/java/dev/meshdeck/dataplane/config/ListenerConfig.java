package dev.meshdeck.dataplane.config;

import java.util.List;
import java.util.Objects;

/**
 * A listener: where it binds, which way traffic flows, its route table and its HTTP filters in order.
 *
 * @param name       {@code outbound} or {@code inbound} (from LDS)
 * @param address    the address to bind
 * @param port       the port to bind
 * @param direction  outbound (the local app's requests to the mesh) or inbound (mesh traffic to the app)
 * @param routeTable the route table's name (RDS)
 * @param filters    the HTTP filters in order, the router last
 * @param idleTimeout how long a client connection may stay open with no request in flight (the HCM's
 *                   {@code common_http_protocol_options.idle_timeout}; null: Envoy's 1 h; zero: no limit)
 * @param tls        the TLS filter chain (with or without a plain-text one beside it); null: plain text only
 */
public record ListenerConfig(String name, String address, int port, Direction direction, String routeTable,
                             List<String> filters, java.time.Duration idleTimeout, TlsSettings.Listener tls) {
    public enum Direction { OUTBOUND, INBOUND }

    /** A plain-text listener whose client connections may idle for Envoy's default hour. */
    public ListenerConfig(String name, String address, int port, Direction direction, String routeTable,
                          List<String> filters) {
        this(name, address, port, direction, routeTable, filters, null, null);
    }

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(routeTable, "routeTable");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener " + name + ": port " + port + " (expected: 0..65535)");
        }
        filters = List.copyOf(filters);
        idleTimeout = idleTimeout == null ? ClusterConfig.DEFAULT_IDLE_TIMEOUT : idleTimeout;
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("listener " + name + ": idle timeout " + idleTimeout
                    + " (expected: 0 or more)");
        }
    }
}
