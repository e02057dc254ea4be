package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.Metadata;

/** Reads {@code metadata}: name, namespace, labels, annotations; Kubernetes bookkeeping is ignored. */
final class MetadataBinder {
    private MetadataBinder() {
    }

    static Metadata bind(Binding b, String path, Node node) {
        Fields f = Fields.of(b, path, node);
        if (f == null) {
            return null;
        }
        int mark = b.errorCount();
        String name = f.requiredString("name", "the resource's name, a DNS-1123 name such as reviews");
        if (name != null && !name.isEmpty()) {
            check(f, "name", Checks.dnsSubdomain(name));
        }
        String namespace = f.string("namespace");
        if (namespace != null) {
            check(f, "namespace", Checks.dnsLabel(namespace));
        }
        var labels = f.stringMap("labels");
        var annotations = f.stringMap("annotations");
        f.ignore("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink");
        f.finish("generateName", "finalizers", "ownerReferences", "deletionTimestamp", "deletionGracePeriodSeconds");
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new Metadata(name, namespace, labels, annotations);
    }

    private static void check(Fields f, String field, String problem) {
        if (problem != null) {
            f.error(field, problem);
        }
    }
}
