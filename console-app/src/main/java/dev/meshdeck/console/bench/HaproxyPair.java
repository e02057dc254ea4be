package dev.meshdeck.console.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The reference pair: two haproxy processes (one thread each, HTTP mode, keep-alive on both sides, server
 * connections reused), the client side's forwarding to the server side's, which forwards to the backend.
 */
final class HaproxyPair implements ProxyPair {
    private final ChildProcess client;
    private final ChildProcess server;
    private final InetSocketAddress entry;

    private HaproxyPair(ChildProcess client, ChildProcess server, InetSocketAddress entry) {
        this.client = client;
        this.server = server;
        this.entry = entry;
    }

    /** The haproxy executable on the PATH (or in /usr/sbin, where Debian puts it), if any. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "haproxy");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    static HaproxyPair start(Path haproxy, Path workDir, int backendPort, String cpus) throws InterruptedException {
        int serverPort = freePort();
        int clientPort = freePort();
        ChildProcess server = haproxy(haproxy, "server haproxy", cpus, write(workDir, "haproxy-server.cfg",
                config(serverPort, backendPort)));
        ChildProcess client = null;
        try {
            client = haproxy(haproxy, "client haproxy", cpus, write(workDir, "haproxy-client.cfg",
                    config(clientPort, serverPort)));
            InetSocketAddress entry = new InetSocketAddress("127.0.0.1", clientPort);
            Probe.awaitOk("the haproxy pair", entry, SidecarPair.SERVICE, Duration.ofSeconds(20));
            client.requireAlive();
            server.requireAlive();
            return new HaproxyPair(client, server, entry);
        } catch (InterruptedException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
    }

    /** One haproxy: one thread, HTTP mode, keep-alive to the client and to the server. */
    static String config(int listenPort, int upstreamPort) {
        return """
                global
                    nbthread 1
                    maxconn 4096
                defaults
                    mode http
                    option http-keep-alive
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                    timeout http-keep-alive 60s
                frontend in
                    bind 127.0.0.1:%d
                    default_backend out
                backend out
                    http-reuse always
                    server upstream 127.0.0.1:%d
                """.formatted(listenPort, upstreamPort);
    }

    private static ChildProcess haproxy(Path haproxy, String name, String cpus, Path config) {
        // -db: stay in the foreground; -f: the config
        return ChildProcess.start(name, cpus, List.of(haproxy.toString(), "-db", "-f", config.toString()));
    }

    private static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public InetSocketAddress entry() {
        return entry;
    }

    @Override
    public String host() {
        return SidecarPair.SERVICE;
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
