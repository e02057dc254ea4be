package dev.meshdeck.dataplane.xds;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code /config_dump} is asked for, with Envoy's query parameters: {@code resource} (one repeated field of the
 * dump, each of its entries then a config of its own, {@code ?resource=dynamic_active_clusters}) and
 * {@code name_regex} (only the resources whose name the regular expression matches whole).
 *
 * @param resource  the field, one of {@link #RESOURCES}; empty: the whole dump
 * @param nameRegex the names to keep; empty: all
 */
public record ConfigDumpQuery(Optional<String> resource, Optional<Pattern> nameRegex) {
    /** The whole dump. */
    public static final ConfigDumpQuery ALL = new ConfigDumpQuery(Optional.empty(), Optional.empty());

    /** The dump's repeated fields that {@code resource} may name (a sidecar has no static resources). */
    public static final List<String> RESOURCES = List.of("dynamic_listeners", "dynamic_route_configs",
            "dynamic_active_clusters", "dynamic_endpoint_configs");

    public ConfigDumpQuery {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(nameRegex, "nameRegex");
        resource.ifPresent(r -> {
            if (!RESOURCES.contains(r)) {
                throw new IllegalArgumentException("resource=" + r + " is not a resource of the config dump (expected one of: "
                        + String.join(", ", RESOURCES) + ")");
            }
        });
    }

    /** Whether the resource called {@code name} is asked for. */
    public boolean wants(String name) {
        return nameRegex.isEmpty() || nameRegex.get().matcher(name).matches();
    }
}
