package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.config.Durations;
import dev.meshdeck.dataplane.Sidecar;
import dev.meshdeck.dataplane.admin.AdminServer;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck sidecar}: one sidecar beside one app, programmed by a controller over xDS. */
@Command(name = "sidecar",
        description = {"Runs one sidecar beside one app: the app reaches other services through the outbound"
                + " listener (http_proxy=127.0.0.1:PORT, or Host: SERVICE), and mesh traffic reaches the app through"
                + " the inbound listener.",
            "Runs until Ctrl-C, SIGTERM or POST /quitquitquit on the admin port; then it drains (client connections"
                + " finish what is in flight, for up to --drain-time) and exits."})
final class SidecarCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Not picocli's standard help options: their --version would clash with the app's --version V (picocli then
    // left out --help as well). `meshdeck --version` prints meshdeck's.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service the app serves.")
    String service;

    @Option(names = "--version", required = true, paramLabel = "V", description = "The app's version (the version label).")
    String version;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "The service's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--app-port", required = true, paramLabel = "P",
            description = "The app's port on 127.0.0.1; 0 for an app that only calls others.")
    int appPort;

    @Option(names = "--controller", required = true, paramLabel = "HOST:PORT", description = "The controller's xDS address.")
    String controller;

    @Option(names = "--outbound-port", paramLabel = "N", defaultValue = "15001",
            description = "The outbound listener's port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int outboundPort;

    @Option(names = "--inbound-port", paramLabel = "N", defaultValue = "15006",
            description = "The inbound listener's port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int inboundPort;

    @Option(names = "--admin-port", paramLabel = "N", defaultValue = "15000",
            description = "The admin endpoint's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int adminPort;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Istio's metrics port: /stats/prometheus on the --address IP, and nothing else (default: "
                    + DEFAULT_METRICS_PORT + ", or none when that port is taken, with a warning; 0: any free port).")
    Integer metricsPort;

    /** Istio's sidecar metrics port (Envoy's Prometheus listener). */
    static final int DEFAULT_METRICS_PORT = 15090;

    @Option(names = "--address", paramLabel = "IP", defaultValue = "127.0.0.1",
            description = "Where other sidecars reach this one's inbound listener (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "The proxy's worker threads (default: 2, as Istio's sidecars, or 1 when the process may use"
                    + " only one CPU, as Istio sizes it from the CPU limit).")
    Integer concurrency;

    @Option(names = "--service-account", paramLabel = "NAME",
            description = "The workload's service account, its SPIFFE identity (default: the service name).")
    String serviceAccount;

    @Option(names = "--trust-domain", paramLabel = "DOMAIN", defaultValue = "cluster.local",
            description = "The SPIFFE trust domain of the workload certificate (default: ${DEFAULT-VALUE}, as Istio's).")
    String trustDomain;

    @Option(names = "--drain-time", paramLabel = "D", defaultValue = "5s",
            description = "How long a stop lets client connections finish what is in flight before it cuts them"
                    + " (default: ${DEFAULT-VALUE}, Istio's terminationDrainDuration; 0s: stop at once).")
    String drainTime;

    private final Supplier<StopSignal> stopSignal;

    SidecarCommand(Supplier<StopSignal> stopSignal) {
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws Exception {
        HostPort controllerAddress;
        try {
            controllerAddress = HostPort.parse(controller);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--controller " + controller + ": " + e.getMessage());
        }
        for (int p : new int[] {appPort, outboundPort, inboundPort, adminPort, metricsPort == null ? 0 : metricsPort}) {
            if (p < 0 || p > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "port " + p + " (expected: 0..65535)");
            }
        }
        if (concurrency != null && (concurrency < 1 || concurrency > 64)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency " + concurrency + " (expected: 1..64)");
        }
        int workers = concurrency != null ? concurrency : Sidecar.Settings.defaultConcurrency();
        Duration drain;
        try {
            drain = Durations.parse(drainTime);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--drain-time: " + e.getMessage());
        }
        Sidecar.Settings settings;
        try {
            settings = new Sidecar.Settings(service, version, namespace, appPort, controllerAddress.toString(), address,
                    outboundPort, inboundPort, adminPort, Map.of(), workers, serviceAccount, trustDomain, drain);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        StopSignal stop = stopSignal.get();
        stop.cleanUpTakes(drain.plusSeconds(10));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Sidecar sidecar = Sidecar.start(settings); AdminServer metrics = metrics(sidecar.stats(), err)) {
            Thread stopper = new Thread(() -> {
                try {
                    stop.awaitStop();
                    sidecar.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "meshdeck-sidecar-stop");
            stopper.setDaemon(true);
            stopper.start();
            long waited = 0;
            while (!sidecar.ready() && !sidecar.drainedNow()) {
                TimeUnit.MILLISECONDS.sleep(50);
                waited += 50;
                if (waited == 3000) {
                    err.println("meshdeck sidecar: waiting for config from the controller at " + controllerAddress
                            + " (it keeps trying)");
                    err.flush();
                }
            }
            if (sidecar.ready()) {
                out.println("meshdeck sidecar: " + service + " " + version + " (" + namespace + "), outbound 127.0.0.1:"
                        + sidecar.outboundPort()
                        + (appPort > 0 ? ", inbound " + address + ":" + sidecar.inboundPort() + " -> app 127.0.0.1:" + appPort : "")
                        + ", admin 127.0.0.1:" + sidecar.adminPort() + ", controller " + controllerAddress
                        + (metrics != null ? ", metrics " + address + ":" + metrics.port() : ""));
                out.flush();
            }
            sidecar.awaitDrained();
            out.println("meshdeck sidecar: stopped");
            out.flush();
        } finally {
            stop.stopped();
        }
        return 0;
    }

    /**
     * The metrics endpoint on {@code --metrics-port}. A port the user chose must be served (else the command fails
     * and says why); when the default, 15090, cannot be served (taken by a second sidecar on this host), there is
     * none, with a warning, and {@code /stats/prometheus} is still on the admin port.
     */
    private AdminServer metrics(Stats stats, PrintWriter err) {
        int port = metricsPort != null ? metricsPort : DEFAULT_METRICS_PORT;
        try {
            return AdminServer.metrics(new InetSocketAddress(address, port), stats);
        } catch (IOException e) {
            if (metricsPort != null) {
                throw new CommandFailedException("cannot serve metrics on " + address + ":" + port + " (--metrics-port): "
                        + e.getMessage(), e);
            }
            err.println("meshdeck sidecar: no metrics port: cannot listen on " + address + ":" + port + " ("
                    + e.getMessage() + "); /stats/prometheus is on the admin port (--metrics-port N serves it on"
                    + " another port)");
            err.flush();
            return null;
        }
    }
}
