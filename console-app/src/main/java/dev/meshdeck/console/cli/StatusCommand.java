package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.api.ProxyStatus.TypeSync;
import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code meshdeck status}: the controller and every proxy's sync state, like {@code istioctl proxy-status}. */
@Command(name = "status",
        description = "Shows the controller's version and revision, and each proxy's xDS sync state.",
        mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {
    /** The xDS types shown, in istioctl's order. */
    static final List<String> TYPES = List.of("CDS", "LDS", "EDS", "RDS");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ControllerClientOptions controller;

    @Override
    public Integer call() {
        ControllerStatus status;
        List<ProxyStatus> proxies;
        try (RemoteControlPlane cp = controller.connect()) {
            status = cp.status();
            proxies = new ArrayList<>(cp.proxies());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("controller " + status.version() + " at " + controller.controller()
                + ", xDS on " + status.xdsAddress()
                + ", revision " + status.revision()
                + ", up since " + DateTimeFormatter.ISO_INSTANT.format(status.started().truncatedTo(ChronoUnit.SECONDS)));
        status.ca().ifPresent(ca -> out.println("mesh CA: trust domain " + ca.trustDomain() + ", root SHA-256 "
                + ca.rootFingerprint() + ", valid until "
                + DateTimeFormatter.ISO_INSTANT.format(ca.rootNotAfter().truncatedTo(ChronoUnit.SECONDS))));
        out.println("proxies: " + status.proxies() + " (" + status.connectedProxies() + " connected, "
                + status.nackedProxies() + " NACKed)");
        if (proxies.isEmpty()) {
            out.flush();
            return 0;
        }
        out.println();
        proxies.sort(Comparator.comparing(ProxyStatus::nodeId));
        Table t = new Table("NAME", "SERVICE", "VERSION", "CDS", "LDS", "EDS", "RDS");
        List<String> nacks = new ArrayList<>();
        for (ProxyStatus p : proxies) {
            List<Object> row = new ArrayList<>(List.of(p.connected() ? p.nodeId() : p.nodeId() + " (gone)",
                    p.service(), p.labels().getOrDefault("version", "")));
            for (String type : TYPES) {
                TypeSync sync = p.types().get(type);
                row.add(sync == null || sync.state() == SyncState.NOT_SENT ? "-" : sync.state().name());
            }
            t.add(row.toArray());
            p.types().entrySet().stream()
                    .filter(e -> e.getValue().state() == SyncState.NACKED)
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> nacks.add("  " + p.nodeId() + " " + e.getKey() + " (version " + e.getValue().sent() + "): "
                            + e.getValue().nack()));
        }
        t.print(out);
        if (!nacks.isEmpty()) {
            out.println();
            out.println("NACK reasons:");
            nacks.forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
