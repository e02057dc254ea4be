package dev.meshdeck.controller.xds;

import io.envoyproxy.controlplane.cache.Resources;
import java.util.List;
import java.util.Map;

/** The xDS types the controller serves, by type URL and by the short names people use. */
public final class XdsTypes {
    /** Short names in push order. */
    public static final List<String> SHORT_NAMES = List.of("CDS", "EDS", "LDS", "RDS", "SDS");

    private static final Map<String, String> SHORT_BY_URL = Map.of(
            Resources.V3.CLUSTER_TYPE_URL, "CDS",
            Resources.V3.ENDPOINT_TYPE_URL, "EDS",
            Resources.V3.LISTENER_TYPE_URL, "LDS",
            Resources.V3.ROUTE_TYPE_URL, "RDS",
            Resources.V3.SECRET_TYPE_URL, "SDS");

    private static final Map<String, Resources.ResourceType> RESOURCE_TYPE_BY_SHORT = Map.of(
            "CDS", Resources.ResourceType.CLUSTER,
            "EDS", Resources.ResourceType.ENDPOINT,
            "LDS", Resources.ResourceType.LISTENER,
            "RDS", Resources.ResourceType.ROUTE,
            "SDS", Resources.ResourceType.SECRET);

    private XdsTypes() {
    }

    /** {@code LDS} for the listener type URL, and so on; null for a type the controller does not serve. */
    public static String shortName(String typeUrl) {
        return SHORT_BY_URL.get(typeUrl);
    }

    /** The snapshot resource type of a short name. */
    public static Resources.ResourceType resourceType(String shortName) {
        Resources.ResourceType t = RESOURCE_TYPE_BY_SHORT.get(shortName);
        if (t == null) {
            throw new IllegalArgumentException("xDS type: " + shortName + " (expected one of " + SHORT_NAMES + ")");
        }
        return t;
    }
}
