package dev.meshdeck.controller.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The kinds of resource a mesh config holds, with the API group and versions each is accepted in. */
public enum Kind {
    VIRTUAL_SERVICE("networking.istio.io", "VirtualService", "vs"),
    DESTINATION_RULE("networking.istio.io", "DestinationRule", "dr"),
    SERVICE_ENTRY("networking.istio.io", "ServiceEntry", "se"),
    WORKLOAD_ENTRY("networking.istio.io", "WorkloadEntry", "we");

    /** Versions of {@code networking.istio.io} accepted for every kind; they mean the same here. */
    public static final List<String> NETWORKING_VERSIONS = List.of("v1alpha3", "v1beta1", "v1");

    private final String group;
    private final String kindName;
    private final String shortName;

    Kind(String group, String kindName, String shortName) {
        this.group = group;
        this.kindName = kindName;
        this.shortName = shortName;
    }

    public String group() {
        return group;
    }

    /** The name as written in a document's {@code kind:} field, e.g. {@code VirtualService}. */
    public String kindName() {
        return kindName;
    }

    /** The short name used on the command line, e.g. {@code vs}. */
    public String shortName() {
        return shortName;
    }

    public static Optional<Kind> fromKindName(String name) {
        return Arrays.stream(values()).filter(k -> k.kindName.equals(name)).findFirst();
    }

    /** Accepts a kind name, its lower-case form, its plural or its short name ({@code vs}). */
    public static Optional<Kind> fromCliName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.shortName.equals(n)
                        || k.kindName.toLowerCase(java.util.Locale.ROOT).equals(n)
                        || (k.kindName.toLowerCase(java.util.Locale.ROOT) + "s").equals(n))
                .findFirst();
    }
}
