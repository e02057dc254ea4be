package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.Source;
import dev.meshdeck.controller.config.WorkloadEntry;
import java.util.Map;

/** Reads a workload: a {@code WorkloadEntry}'s spec, or one of a {@code ServiceEntry}'s endpoints. */
final class WorkloadBinder {
    private WorkloadBinder() {
    }

    static WorkloadEntry workloadEntry(Binding b, Metadata metadata, Source source, Fields spec) {
        int mark = b.errorCount();
        WorkloadEntry.Spec s = spec(b, spec, false);
        if (metadata == null || s == null || b.hasErrorsSince(mark)) {
            return null;
        }
        return new WorkloadEntry(metadata, source, s);
    }

    /** @param ipOnly whether the address must be an IP address (a {@code STATIC} ServiceEntry's endpoint) */
    static WorkloadEntry.Spec spec(Binding b, Fields w, boolean ipOnly) {
        int mark = b.errorCount();
        String address = w.requiredString("address", "the workload's IP address or host name");
        if (address != null && !address.startsWith("unix://")) {
            String problem = ipOnly
                    ? Checks.isIp(address) ? null : "\"" + address + "\" (expected: an IP address, as resolution STATIC needs)"
                    : Checks.host(address, false);
            if (problem != null) {
                w.error("address", problem);
            }
        }
        Map<String, Integer> ports = w.map("ports", (k, p, n) -> {
            Long port = Values.integer(b, p, n, 1, 65535);
            return port == null ? null : port.intValue();
        });
        Map<String, String> labels = w.stringMap("labels");
        String network = w.string("network");
        String locality = w.string("locality");
        Integer weight = w.integer("weight", 0, Integer.MAX_VALUE);
        String serviceAccount = w.string("serviceAccount");
        w.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new WorkloadEntry.Spec(address, ports, labels, network, locality, weight, serviceAccount);
    }
}
