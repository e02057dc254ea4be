package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.Kind;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.ResourceKey;
import dev.meshdeck.controller.config.Source;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one YAML document into a {@link MeshResource}: checks {@code apiVersion} and {@code kind}, reads
 * {@code metadata}, and hands {@code spec} to the binder of the kind.
 */
public final class DocumentBinder {
    /** Kinds of Istio's APIs that Meshdeck does not read (yet), so that the message can say so. */
    private static final Set<String> OTHER_ISTIO_KINDS = Set.of("Gateway", "Sidecar", "EnvoyFilter",
            "WorkloadGroup", "ProxyConfig", "PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication",
            "Telemetry", "WasmPlugin");

    private DocumentBinder() {
    }

    /** The resource, or {@code null} if the document has errors (all of them reported to {@code b}). */
    public static MeshResource bind(Binding b, Node root, Source source) {
        if (!(root instanceof Node.MapNode)) {
            b.error(null, root.line(), "the document is " + Values.got(root)
                    + " (expected: a resource, a mapping with apiVersion, kind, metadata and spec)");
            return null;
        }
        Fields doc = Fields.of(b, "", root);
        int mark = b.errorCount();
        Optional<Kind> kind = kind(doc);
        kind.ifPresent(k -> apiVersion(doc, k));
        Metadata metadata = doc.object("metadata", (p, n) -> MetadataBinder.bind(b, p, n));
        if (!doc.has("metadata")) {
            doc.missing("metadata", "a mapping with the resource's name");
        }
        if (kind.isPresent() && metadata != null) {
            b.resource(new ResourceKey(kind.get(), metadata.namespace(), metadata.name()).toString());
        }
        Fields spec = null;
        if (kind.isPresent()) {
            spec = doc.object("spec", (p, n) -> Fields.of(b, p, n));
            if (!doc.has("spec")) {
                doc.missing("spec", "the " + kind.get().kindName() + "'s spec");
            }
        } else {
            doc.ignore("apiVersion", "spec");
        }
        doc.ignore("status");
        doc.finish();
        if (kind.isEmpty() || spec == null) {
            return null;
        }
        MeshResource r = switch (kind.get()) {
            case VIRTUAL_SERVICE -> new VirtualServiceBinder(b).bind(metadata, source, spec);
            case DESTINATION_RULE -> new DestinationRuleBinder(b).bind(metadata, source, spec);
            case SERVICE_ENTRY -> new ServiceEntryBinder(b).bind(metadata, source, spec);
            case WORKLOAD_ENTRY -> WorkloadBinder.workloadEntry(b, metadata, source, spec);
        };
        return b.hasErrorsSince(mark) ? null : r;
    }

    private static Optional<Kind> kind(Fields doc) {
        String name = doc.requiredString("kind", "one of " + kindNames());
        if (name == null) {
            return Optional.empty();
        }
        Optional<Kind> kind = Kind.fromKindName(name);
        if (kind.isEmpty()) {
            doc.error("kind", (OTHER_ISTIO_KINDS.contains(name)
                    ? "kind " + name + " is not supported by Meshdeck"
                    : "unknown kind " + name) + " (expected one of: " + kindNames() + ")");
        }
        return kind;
    }

    private static void apiVersion(Fields doc, Kind kind) {
        List<String> accepted = Kind.NETWORKING_VERSIONS.stream().map(v -> kind.group() + "/" + v).toList();
        String expected = "one of " + String.join(", ", accepted);
        String apiVersion = doc.requiredString("apiVersion", expected);
        if (apiVersion != null && !accepted.contains(apiVersion)) {
            doc.error("apiVersion", "\"" + apiVersion + "\" is not an API version of " + kind.kindName()
                    + " (expected: " + expected + ")");
        }
    }

    private static String kindNames() {
        return String.join(", ", Arrays.stream(Kind.values()).map(Kind::kindName).toList());
    }
}
