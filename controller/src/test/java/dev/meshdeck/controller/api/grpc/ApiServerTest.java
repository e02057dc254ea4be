package dev.meshdeck.controller.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.controller.MeshController;
import dev.meshdeck.controller.api.ControllerUnavailableException;
import dev.meshdeck.controller.internal.EventBus;
import dev.meshdeck.controller.workspace.Workspace;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server's addresses and failures, in front of a real controller's config side. */
class ApiServerTest {
    @TempDir
    Path dir;
    private Workspace workspace;
    private MeshController cp;

    @BeforeEach
    void openController() throws IOException {
        workspace = Workspace.open(dir);
        cp = new MeshController(workspace, Clock.systemUTC(), new EventBus());
    }

    @AfterEach
    void closeController() throws IOException {
        cp.close();
        workspace.close();
    }

    @Test
    void refusesANonLoopbackAddressUnlessAllowed() throws IOException {
        assertThatThrownBy(() -> ApiServer.start(cp, HostPort.parse("0.0.0.0:0"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refusing to serve the meshdeck API on 0.0.0.0:0: it is not a loopback address")
                .hasMessageContaining("--insecure-api");
        try (ApiServer server = ApiServer.start(cp, HostPort.parse("0.0.0.0:0"), true)) {
            assertThat(server.port()).isPositive();
        }
    }

    @Test
    void reportsThePortItBoundWhenAskedForAnyFreeOne() throws IOException {
        try (ApiServer server = ApiServer.start(cp, HostPort.parse("127.0.0.1:0"), false)) {
            assertThat(server.address()).startsWith("127.0.0.1:").doesNotEndWith(":0");
            try (RemoteControlPlane client = RemoteControlPlane.connect(HostPort.parse(server.address()))) {
                assertThat(client.status().version()).isEqualTo(MeshController.version());
            }
        }
    }

    @Test
    void aBusyPortIsAClearError() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ApiServer.start(cp, new HostPort("127.0.0.1", busy.getLocalPort()), false))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot serve the meshdeck API on 127.0.0.1:" + busy.getLocalPort() + ": ");
        }
    }

    @Test
    void aClientOfAnAddressWhereNothingListensSaysSo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (RemoteControlPlane client = RemoteControlPlane.connect(new HostPort("127.0.0.1", port))) {
            assertThatThrownBy(client::status)
                    .isInstanceOf(ControllerUnavailableException.class)
                    .hasMessage("cannot reach controller at 127.0.0.1:" + port + ": connection refused");
        }
    }
}
