package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.ServiceEntry;
import dev.meshdeck.controller.config.Source;
import dev.meshdeck.controller.config.WorkloadEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a {@code ServiceEntry}'s spec: hosts, addresses, ports, resolution, and its endpoints. */
final class ServiceEntryBinder {
    private final Binding b;

    ServiceEntryBinder(Binding b) {
        this.b = b;
    }

    ServiceEntry bind(Metadata metadata, Source source, Fields spec) {
        int mark = b.errorCount();
        List<String> hosts = spec.requiredList("hosts", (p, n) -> {
            String h = Values.string(b, p, n);
            String problem = h == null ? null : Checks.host(h, true);
            if (problem != null) {
                b.error(p, n.line(), problem);
                return null;
            }
            return h;
        }, "at least one host, such as api.example.com");
        List<String> addresses = spec.list("addresses", (p, n) -> {
            String a = Values.string(b, p, n);
            if (a != null && !Checks.isIpOrCidr(a)) {
                b.error(p, n.line(), "\"" + a + "\" (expected: an IP address or a CIDR block such as 10.0.0.0/16)");
                return null;
            }
            return a;
        });
        List<ServiceEntry.Port> ports = spec.list("ports", this::port);
        ServiceEntry.Location location = spec.enumValue("location", ServiceEntry.Location.class);
        ServiceEntry.Resolution resolution = spec.enumValue("resolution", ServiceEntry.Resolution.class);
        boolean ipOnly = resolution == ServiceEntry.Resolution.STATIC;
        List<WorkloadEntry.Spec> endpoints = spec.list("endpoints", (p, n) -> {
            Fields e = Fields.of(b, p, n);
            return e == null ? null : WorkloadBinder.spec(b, e, ipOnly);
        });
        Map<String, String> workloadSelector = spec.object("workloadSelector", (p, n) -> {
            Fields w = Fields.of(b, p, n);
            if (w == null) {
                return null;
            }
            Map<String, String> labels = w.stringMap("labels");
            w.finish();
            return labels;
        });
        List<String> subjectAltNames = spec.strings("subjectAltNames");
        spec.finish("exportTo");
        if (spec.hasContent("endpoints") && spec.has("workloadSelector")) {
            spec.error("workloadSelector", "endpoints and workloadSelector are both set (expected: one of them)");
        }
        if (ports != null && !b.hasErrorsSince(mark)) {
            uniquePorts(spec, ports);
        }
        if (metadata == null || b.hasErrorsSince(mark)) {
            return null;
        }
        return new ServiceEntry(metadata, source, hosts, addresses, ports, location, resolution, endpoints,
                workloadSelector, subjectAltNames);
    }

    private ServiceEntry.Port port(String path, Node node) {
        Fields p = Fields.of(b, path, node);
        if (p == null) {
            return null;
        }
        int mark = b.errorCount();
        Integer number = p.integer("number", 1, 65535);
        if (!p.has("number")) {
            p.missing("number", "a port number 1..65535");
        }
        String protocol = p.string("protocol");
        if (protocol != null && !Checks.PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
            p.error("protocol", "\"" + protocol + "\" (expected: one of " + String.join(", ", Checks.PROTOCOLS) + ")");
        }
        String name = p.requiredString("name", "the port's name, such as http");
        Integer targetPort = p.integer("targetPort", 1, 65535);
        p.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new ServiceEntry.Port(number, protocol == null ? null : protocol.toUpperCase(Locale.ROOT), name,
                targetPort);
    }

    private void uniquePorts(Fields spec, List<ServiceEntry.Port> ports) {
        Map<Integer, Integer> numbers = new HashMap<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            String item = Values.item(spec.pathOf("ports"), i);
            ServiceEntry.Port port = ports.get(i);
            int numberLine = b.lineOf(item + ".number", spec.lineOf("ports"));
            Integer first = numbers.putIfAbsent(port.number(), numberLine);
            if (first != null) {
                b.error(item + ".number", numberLine, "duplicate port " + port.number() + " (first at line " + first + ")");
            }
            int nameLine = b.lineOf(item + ".name", spec.lineOf("ports"));
            first = names.putIfAbsent(port.name(), nameLine);
            if (first != null) {
                b.error(item + ".name", nameLine, "duplicate port name " + port.name() + " (first at line " + first + ")");
            }
        }
    }
}
