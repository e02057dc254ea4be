package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ports a sidecar binds at start-up and holds until a listener adopts them. */
@ExtendWith(LeakGuard.class)
class ProxyHeldPortTest {
    private final Stats stats = new Stats();
    private TestBackend backend;
    private SidecarProxy proxy;

    @BeforeEach
    void start() {
        backend = new TestBackend("v1");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS, stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.close();
    }

    private ProxyConfig config(String listener, int port) {
        ProxyConfig c = Configs.builder().cluster("reviews", backend.port()).host("reviews", "reviews").build();
        Map<String, ListenerConfig> listeners = new LinkedHashMap<>();
        ListenerConfig l = c.listeners().get(Configs.OUTBOUND);
        listeners.put(listener, new ListenerConfig(listener, l.address(), port, l.direction(), l.routeTable(),
                l.filters(), l.idleTimeout(), l.tls()));
        return new ProxyConfig(listeners, c.routes(), c.clusters(), Map.of());
    }

    @Test
    void aClientOfAHeldPortWaitsAndIsServedOnceTheListenerArrives() throws Exception {
        int port = proxy.hold("127.0.0.1", 0).getPort();
        assertThat(port).isPositive();
        try (RawHttp client = new RawHttp(port)) { // connects: the port is bound, not refused
            client.send("GET / HTTP/1.1\r\nHost: reviews\r\n\r\n"); // waits in the backlog
            proxy.update(config("outbound", port));
            RawHttp.Response r = client.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("hello from v1");
        }
        assertThat(proxy.port("outbound")).hasValue(port);
    }

    @Test
    void aHeldPortIsBoundBeforeAnyConfig() throws Exception {
        InetSocketAddress held = proxy.hold("127.0.0.1", 0);
        try (ServerSocket other = new ServerSocket()) {
            assertThatThrownBy(() -> other.bind(held)).hasMessageContaining("in use");
        }
    }

    @Test
    void theAdoptingListenerServesNewConnectionsAndTheNextConfigKeepsItsSocket() throws Exception {
        int port = proxy.hold("127.0.0.1", 0).getPort();
        proxy.update(config("outbound", port));
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
            proxy.update(config("outbound", port)); // same address and port: the listener and its connections stay
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void aListenerOnAnotherPortBindsNormallyAndLeavesTheHeldPortWaiting() throws Exception {
        int heldPort = proxy.hold("127.0.0.1", 0).getPort();
        proxy.update(config("elsewhere", 0));
        int elsewhere = proxy.port("elsewhere").orElseThrow();
        assertThat(elsewhere).isNotEqualTo(heldPort);
        try (RawHttp c = new RawHttp(elsewhere)) {
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
        }
        try (Socket waiting = new Socket()) {
            waiting.connect(new InetSocketAddress("127.0.0.1", heldPort), 5000); // still held, not refused
        }
    }

    @Test
    void aDroppedListenerReleasesTheHeldPortAndALaterConfigBindsItAgain() throws Exception {
        int port = proxy.hold("127.0.0.1", 0).getPort();
        proxy.update(config("outbound", port));
        proxy.update(config("elsewhere", 0));
        assertThat(proxy.port("outbound")).isEmpty();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        proxy.update(config("outbound", port));
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void holdingAPortInUseFailsNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> proxy.hold("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot bind 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
