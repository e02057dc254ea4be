package dev.meshdeck.console.bench;

import dev.meshdeck.console.cli.Main;
import dev.meshdeck.console.cli.SidecarRuntime;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our pair: two {@code meshdeck sidecar} processes (child JVMs on this JVM's class path, main class
 * {@link Main}), programmed by the controller at {@code controller}. The server's sidecar fronts the backend as
 * workload {@value #SERVICE} v1; the client's is a client-only workload whose outbound listener takes the load
 * with {@code Host: backend}.
 */
final class SidecarPair implements ProxyPair {
    static final String SERVICE = "backend";
    private static final Pattern OUTBOUND = Pattern.compile("outbound 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess client;
    private final ChildProcess server;
    private final InetSocketAddress entry;

    private SidecarPair(ChildProcess client, ChildProcess server, InetSocketAddress entry) {
        this.client = client;
        this.server = server;
        this.entry = entry;
    }

    static SidecarPair start(String controller, int backendPort, String cpus, SidecarRuntime runtime)
            throws InterruptedException {
        ChildProcess server = sidecar("server sidecar", cpus, runtime, controller, SERVICE, backendPort);
        ChildProcess client = null;
        try {
            server.awaitLine(l -> l.startsWith("meshdeck sidecar: "), START_TIMEOUT);
            client = sidecar("client sidecar", cpus, runtime, controller, "bench-client", 0);
            Matcher m = OUTBOUND.matcher(client.awaitLine(l -> l.startsWith("meshdeck sidecar: "), START_TIMEOUT));
            if (!m.find()) {
                throw new IllegalStateException("the client sidecar did not print its outbound port");
            }
            InetSocketAddress entry = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            Probe.awaitOk("the sidecar pair", entry, SERVICE, START_TIMEOUT);
            return new SidecarPair(client, server, entry);
        } catch (InterruptedException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
    }

    private static ChildProcess sidecar(String name, String cpus, SidecarRuntime runtime, String controller,
                                        String service, int appPort) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(runtime.jvmOptions());
        command.addAll(List.of("-cp", SidecarRuntime.classPath(System.getProperty("java.class.path")),
                Main.class.getName(), "sidecar",
                "--service", service, "--version", "v1", "--app-port", Integer.toString(appPort),
                "--controller", controller, "--outbound-port", "0", "--inbound-port", "0", "--admin-port", "0",
                "--metrics-port", "0"));
        return ChildProcess.start(name, cpus, command, runtime.environment());
    }

    @Override
    public String name() {
        return "meshdeck";
    }

    @Override
    public InetSocketAddress entry() {
        return entry;
    }

    @Override
    public String host() {
        return SERVICE;
    }

    @Override
    public List<ChildProcess> processes() {
        return List.of(client, server);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
