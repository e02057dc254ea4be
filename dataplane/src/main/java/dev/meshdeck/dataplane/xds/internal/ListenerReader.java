package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.SocketAddress;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Filter;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.FilterChain;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.http.fault.v3.HTTPFault;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * An LDS {@code Listener} into a {@link ListenerConfig}: a socket address, a filter chain holding one
 * HTTP connection manager that takes its routes from RDS over ADS, and HTTP filters the sidecar has. TLS
 * filter chains (and a plain-text one beside them) are read by {@link TlsReader}.
 */
public final class ListenerReader {
    public static final String HCM = "envoy.filters.network.http_connection_manager";
    public static final String ROUTER = "envoy.filters.http.router";
    private static final String EXPECTED_FILTERS = FaultReader.NAME + ", " + ROUTER;

    private ListenerReader() {
    }

    public static ListenerConfig read(Listener l) {
        String where = "listener " + l.getName();
        if (l.getName().isEmpty()) {
            throw new XdsConfigException("listener: empty name (expected: a name)");
        }
        if (l.hasApiListener()) {
            throw new XdsConfigException(where + ".api_listener: not supported (expected: a socket address; "
                    + "API listeners are for proxyless gRPC clients)");
        }
        if (!l.getAddress().hasSocketAddress()) {
            throw new XdsConfigException(where + ".address: no socket_address (expected: an IP address and port)");
        }
        SocketAddress sa = l.getAddress().getSocketAddress();
        if (sa.getPortSpecifierCase() == SocketAddress.PortSpecifierCase.NAMED_PORT) {
            throw new XdsConfigException(where + ".address.socket_address.named_port: not supported (expected: port_value)");
        }
        if (sa.getProtocol() != SocketAddress.Protocol.TCP) {
            throw new XdsConfigException(where + ".address.socket_address.protocol: " + sa.getProtocol() + " (expected: TCP)");
        }
        if (l.getAdditionalAddressesCount() > 0 || l.hasDefaultFilterChain()) {
            throw new XdsConfigException(where + ": additional_addresses and default_filter_chain "
                    + "are not supported (expected: filter chains)");
        }
        ListenerConfig.Direction direction = switch (l.getTrafficDirection()) {
            case OUTBOUND -> ListenerConfig.Direction.OUTBOUND;
            case INBOUND -> ListenerConfig.Direction.INBOUND;
            default -> switch (l.getName()) {
                case "outbound" -> ListenerConfig.Direction.OUTBOUND;
                case "inbound" -> ListenerConfig.Direction.INBOUND;
                default -> throw new XdsConfigException(where + ".traffic_direction: " + l.getTrafficDirection()
                        + " (expected: INBOUND or OUTBOUND)");
            };
        };
        TlsReader.ListenerChains chains = TlsReader.listener(l, where);
        FilterChain chain = chains.http();
        if (chain.getFiltersCount() != 1) {
            throw new XdsConfigException(where + ".filter_chains[0].filters: " + chain.getFiltersCount()
                    + " filters (expected: exactly one, " + HCM + ")");
        }
        Filter filter = chain.getFilters(0);
        if (!filter.hasTypedConfig()) {
            throw new XdsConfigException(where + ".filter_chains[0].filters[" + filter.getName()
                    + "]: no typed_config (expected: " + HCM + " with an HttpConnectionManager)");
        }
        String hcmField = where + ".filter_chains[0].filters[" + filter.getName() + "].typed_config";
        HttpConnectionManager hcm = ProtoValues.unpack(filter.getTypedConfig(), TypeNames.HTTP_CONNECTION_MANAGER,
                HttpConnectionManager.parser(), hcmField);
        String routeName = routeConfigName(hcm, hcmField);
        List<String> filters = httpFilters(hcm, hcmField);
        java.time.Duration idle = hcm.getCommonHttpProtocolOptions().hasIdleTimeout()
                ? ProtoValues.duration(hcm.getCommonHttpProtocolOptions().getIdleTimeout(),
                        hcmField + ".common_http_protocol_options.idle_timeout") : null;
        return new ListenerConfig(l.getName(), sa.getAddress(), sa.getPortValue(), direction, routeName, filters, idle,
                chains.tls());
    }

    private static String routeConfigName(HttpConnectionManager hcm, String field) {
        if (hcm.getRouteSpecifierCase() != HttpConnectionManager.RouteSpecifierCase.RDS) {
            throw new XdsConfigException(field + ": route specifier " + hcm.getRouteSpecifierCase()
                    + " (expected: rds over ADS)");
        }
        var rds = hcm.getRds();
        if (!rds.getConfigSource().hasAds()) {
            throw new XdsConfigException(field + ".rds.config_source: " + rds.getConfigSource().getConfigSourceSpecifierCase()
                    + " (expected: ads)");
        }
        if (rds.getRouteConfigName().isEmpty()) {
            throw new XdsConfigException(field + ".rds.route_config_name: empty (expected: a route config name)");
        }
        if (hcm.hasTracing() || hcm.getUpgradeConfigsCount() > 0 && hcm.getUpgradeConfigsList().stream()
                .anyMatch(u -> !u.getUpgradeType().equalsIgnoreCase("websocket"))) {
            throw new XdsConfigException(field + ": tracing and upgrade types other than websocket are not "
                    + "supported (expected: unset)");
        }
        return rds.getRouteConfigName();
    }

    private static List<String> httpFilters(HttpConnectionManager hcm, String field) {
        List<String> names = new ArrayList<>();
        for (HttpFilter f : hcm.getHttpFiltersList()) {
            String ff = field + ".http_filters[" + f.getName() + "]";
            if (f.getDisabled()) {
                continue;
            }
            if (f.getConfigTypeCase() == HttpFilter.ConfigTypeCase.CONFIG_DISCOVERY) {
                throw new XdsConfigException(ff + ".config_discovery: not supported (expected: typed_config)");
            }
            String kind = kind(f);
            if (kind == null) {
                if (f.getIsOptional()) {
                    continue;
                }
                throw new XdsConfigException(ff + ": unknown filter" + (f.hasTypedConfig()
                        ? " (type " + ProtoValues.typeName(f.getTypedConfig()) + ")" : "")
                        + " (expected one of: " + EXPECTED_FILTERS + ", or is_optional: true)");
            }
            if (kind.equals(FaultReader.NAME) && f.hasTypedConfig()) {
                HTTPFault fault = ProtoValues.unpack(f.getTypedConfig(), TypeNames.HTTP_FAULT, HTTPFault.parser(),
                        ff + ".typed_config");
                if (FaultReader.read(fault, ff + ".typed_config") != null) {
                    throw new XdsConfigException(ff + ".typed_config: delay/abort on the listener are not supported "
                            + "(expected: an empty HTTPFault, faults per route in typed_per_filter_config)");
                }
            }
            if (names.contains(ROUTER)) {
                throw new XdsConfigException(ff + ": after the router (expected: " + ROUTER + " last)");
            }
            names.add(kind);
        }
        if (!names.contains(ROUTER)) {
            throw new XdsConfigException(field + ".http_filters: no router (expected: " + ROUTER + " last)");
        }
        return names;
    }

    /** The filter's canonical name, by its config's type (as Envoy does) or else by its name; null if unknown. */
    private static String kind(HttpFilter f) {
        if (f.hasTypedConfig()) {
            Any any = f.getTypedConfig();
            if (ProtoValues.is(any, TypeNames.HTTP_FAULT)) {
                return FaultReader.NAME;
            }
            if (ProtoValues.is(any, TypeNames.ROUTER)) {
                return ROUTER;
            }
            return null;
        }
        return switch (f.getName()) {
            case FaultReader.NAME, ROUTER -> f.getName();
            default -> null;
        };
    }
}
