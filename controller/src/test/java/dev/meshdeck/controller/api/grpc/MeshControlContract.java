package dev.meshdeck.controller.api.grpc;

import dev.meshdeck.controller.bench.SimulatedSidecars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.MeshController;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ControlPlane;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.bench.SimulatedProxy;
import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.Kind;
import io.envoyproxy.controlplane.cache.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code meshdeck.v1} method through a real channel and back, in front of a real controller
 * ({@link ControllerServer}: workspace, loader, validator, xDS server, proxy registry): what the client returns
 * must equal what the controller returns in process. Proxies are real ADS clients ({@link SimulatedSidecars}); events
 * come from real applies and connections. Run once per transport by the subclasses.
 */
abstract class MeshControlContract {
    /** Long enough that a sidecar that went away is still listed, as gone, while a test looks. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    ControllerServer controller;
    ControlPlane controlPlane;
    ApiServer server;
    RemoteControlPlane client;
    SimulatedSidecars sidecars;

    /** Starts a server over {@code cp}. */
    abstract ApiServer serve(ControlPlane cp) throws IOException;

    /** A client of {@code server}. */
    abstract RemoteControlPlane connect(ApiServer server);

    @BeforeEach
    void start() throws IOException {
        controller = ControllerServer.start(new ControllerServer.Settings(Optional.empty(), HostPort.parse("127.0.0.1:0"),
                Optional.empty(), dir.resolve("workspace"), false, GRACE));
        controlPlane = controller.controlPlane();
        server = serve(controlPlane);
        client = connect(server);
        sidecars = new SimulatedSidecars(controller.xdsPort());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sidecars.close();
        server.close();
        controller.close();
    }

    @Test
    void appliesFilesAndReturnsTheNewRevisionAndDiff() throws IOException {
        ApplyResult r = client.apply(bookinfo(), false, false);
        assertThat(r.applied()).isTrue();
        assertThat(r.revision()).isEqualTo(1);
        assertThat(r.errors()).isEmpty();
        assertThat(r.diff()).startsWith("--- revision 0\n+++ proposed\n").contains("+# DestinationRule default/reviews\n");
        assertThat(client.apply(List.of(fixture("virtual-service-all-v1.yaml")), false, false))
                .isEqualTo(new ApplyResult(false, 1, List.of(), ""));
    }

    @Test
    void aDryRunChangesNothingAndAReplaceDropsWhatIsNotInTheFiles() throws IOException {
        client.apply(bookinfo(), false, false);
        List<SourceFile> rulesOnly = List.of(fixture("destination-rule-all.yaml"));
        ApplyResult dry = client.apply(rulesOnly, true, true);
        assertThat(dry.applied()).isFalse();
        assertThat(dry.revision()).isEqualTo(1);
        assertThat(dry.diff()).contains("-# VirtualService default/reviews");
        assertThat(client.config(Optional.empty())).hasSize(8);
        assertThat(client.apply(rulesOnly, false, true).revision()).isEqualTo(2);
        assertThat(client.config(Optional.empty())).extracting(d -> d.key().kind()).containsOnly(Kind.DESTINATION_RULE)
                .hasSize(4);
    }

    @Test
    void returnsEveryConfigErrorFieldForField() {
        List<SourceFile> bad = List.of(new SourceFile("bad.yaml", """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: ingress
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: 120
                """));
        ApplyResult r = client.apply(bad, false, false);
        assertThat(r.valid()).isFalse();
        assertThat(r.applied()).isFalse();
        assertThat(r).isEqualTo(controlPlane.apply(bad, false, false));
        assertThat(r.errors()).containsExactly(
                new ConfigError("bad.yaml", 1, null, "kind", 2, "kind Gateway is not supported by Meshdeck (expected one of: VirtualService,"
                        + " DestinationRule, ServiceEntry, WorkloadEntry)"),
                new ConfigError("bad.yaml", 2, "VirtualService default/reviews", "spec.http[0].route[0].weight", 15,
                        "120 (expected: 0..100)"));
        assertThat(controlPlane.revisions()).isEmpty();
    }

    @Test
    void getsTheLiveConfigByKindAndOldRevisions() throws IOException {
        client.apply(bookinfo(), false, false);
        client.apply(List.of(fixture("virtual-service-reviews-80-20.yaml")), false, false);
        assertThat(client.config(Optional.empty())).isEqualTo(controlPlane.config(Optional.empty())).hasSize(8);
        assertThat(client.config(Optional.of(Kind.DESTINATION_RULE)))
                .isEqualTo(controlPlane.config(Optional.of(Kind.DESTINATION_RULE)))
                .hasSize(4);
        assertThat(client.revision(1)).isEqualTo(controlPlane.revision(1)).hasSize(8);
        assertThat(client.revision(0)).isEmpty();
        assertThat(client.revisions()).isEqualTo(controlPlane.revisions())
                .extracting(RevisionInfo::number, RevisionInfo::source, RevisionInfo::summary)
                .containsExactly(Tuple.tuple(1, "destination-rule-all.yaml, virtual-service-all-v1.yaml", "+8 ~0 -0"),
                        Tuple.tuple(2, "virtual-service-reviews-80-20.yaml", "+0 ~1 -0"));
    }

    @Test
    void diffsAndRollsBackRevisions() throws IOException {
        client.apply(List.of(fixture("destination-rule-all.yaml")), false, false);
        client.apply(List.of(fixture("virtual-service-all-v1.yaml")), false, false);
        assertThat(client.diff(1, 2)).isEqualTo(controlPlane.diff(1, 2)).startsWith("--- revision 1\n+++ revision 2\n");
        ApplyResult r = client.rollback(1);
        assertThat(r.applied()).isTrue();
        assertThat(r.revision()).isEqualTo(3);
        assertThat(client.revisions().get(2).source()).isEqualTo("rollback to 1");
        assertThat(client.config(Optional.empty())).isEqualTo(client.revision(1));
    }

    @Test
    void anUnknownRevisionIsNotFoundAndABadKindIsInvalid() {
        assertThatThrownBy(() -> client.revision(7)).isInstanceOf(NoSuchElementException.class)
                .hasMessage("revision 7 does not exist (the live revision is 0)");
        assertThatThrownBy(() -> client.diff(0, 3)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> client.rollback(3)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void listsProxiesWithTheirSyncStateAndReportsStatus() throws IOException {
        client.apply(bookinfo(), false, false);
        SimulatedProxy details = sidecars.connect("details", "v1", 9081, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().until(() -> controlPlane.proxies().size() == 1
                && controlPlane.proxies().get(0).overall() == SyncState.SYNCED);
        // Gone before the others joined: its snapshot moved on (their endpoints) without it, so it is STALE.
        details.cancel();
        sidecars.connect("reviews", "v2", 9082, SimulatedProxy.Reviewer.ACCEPT_ALL);
        sidecars.connect("ratings", "v1", 9083, SimulatedSidecars.rejecting(Resources.V3.ROUTE_TYPE_URL, "route rejected by the test"));

        await().untilAsserted(() -> {
            List<ProxyStatus> inProcess = controlPlane.proxies();
            assertThat(inProcess).extracting(ProxyStatus::nodeId, ProxyStatus::connected, ProxyStatus::overall)
                    .containsExactly(
                            Tuple.tuple(SimulatedSidecars.nodeId("details", "v1"), false, SyncState.STALE),
                            Tuple.tuple(SimulatedSidecars.nodeId("ratings", "v1"), true, SyncState.NACKED),
                            Tuple.tuple(SimulatedSidecars.nodeId("reviews", "v2"), true, SyncState.SYNCED));
            assertThat(client.proxies()).isEqualTo(inProcess);
        });
        ProxyStatus ratings = client.proxies().get(1);
        assertThat(ratings.service()).isEqualTo("ratings");
        assertThat(ratings.namespace()).isEqualTo("default");
        assertThat(ratings.labels()).containsEntry("version", "v1");
        assertThat(ratings.address()).isEqualTo("127.0.0.1:9083");
        assertThat(ratings.connectedSince()).isNotNull();
        assertThat(ratings.types().get("RDS").state()).isEqualTo(SyncState.NACKED);
        assertThat(ratings.types().get("RDS").nack()).isEqualTo("route rejected by the test");
        assertThat(ratings.types().get("CDS").state()).isEqualTo(SyncState.SYNCED);

        assertThat(client.status()).isEqualTo(controlPlane.status());
        assertThat(client.status()).satisfies(s -> {
            assertThat(s.version()).isEqualTo(MeshController.version());
            assertThat(s.revision()).isEqualTo(1);
            assertThat(s.proxies()).isEqualTo(3);
            assertThat(s.connectedProxies()).isEqualTo(2);
            assertThat(s.nackedProxies()).isEqualTo(1);
            assertThat(s.xdsAddress()).isEqualTo("127.0.0.1:" + controller.xdsPort());
        });
    }

    @Test
    void streamsEventsUntilTheSubscriberCloses() throws Exception {
        List<MeshEvent> inProcess = new CopyOnWriteArrayList<>();
        List<MeshEvent> received = new CopyOnWriteArrayList<>();
        try (AutoCloseable direct = controlPlane.subscribe(inProcess::add)) {
            AutoCloseable subscription = client.subscribe(received::add);
            await().until(() -> server.openEventStreams() == 1);

            client.apply(bookinfo(), false, false);
            sidecars.connect("ratings", "v1", 9083, SimulatedSidecars.rejecting(Resources.V3.ROUTE_TYPE_URL, "no routes today"));
            await().until(() -> received.stream().anyMatch(e -> e.type() == MeshEvent.Type.NACK_RECEIVED));
            await().until(() -> received.equals(inProcess));

            assertThat(received.get(0)).satisfies(e -> {
                assertThat(e.type()).isEqualTo(MeshEvent.Type.CONFIG_APPLIED);
                assertThat(e.subject()).isEqualTo("revision 1");
            });
            assertThat(received.get(1)).satisfies(e -> {
                assertThat(e.type()).isEqualTo(MeshEvent.Type.PROXY_CONNECTED);
                assertThat(e.subject()).isEqualTo(SimulatedSidecars.nodeId("ratings", "v1"));
            });
            assertThat(received).filteredOn(e -> e.type() == MeshEvent.Type.NACK_RECEIVED).first().satisfies(e -> {
                assertThat(e.subject()).isEqualTo(SimulatedSidecars.nodeId("ratings", "v1"));
                assertThat(e.message()).startsWith("RDS version ").endsWith(" rejected: no routes today");
            });
            subscription.close();
            await().until(() -> server.openEventStreams() == 0);
        }
    }

    @Test
    void anEventStreamEndsCleanlyWhenTheServerShutsDown() {
        List<Optional<RuntimeException>> ends = new CopyOnWriteArrayList<>();
        client.subscribe(e -> { }, ends::add);
        await().until(() -> server.openEventStreams() == 1);
        server.close();
        await().until(() -> ends.size() == 1);
        assertThat(ends.get(0)).isEmpty();
        assertThat(server.openEventStreams()).isZero();
    }

    /** Istio's Bookinfo: a DestinationRule with subsets and a VirtualService to v1 for each of its 4 services. */
    static List<SourceFile> bookinfo() throws IOException {
        return List.of(fixture("destination-rule-all.yaml"), fixture("virtual-service-all-v1.yaml"));
    }

    /** A file of {@code fixtures/istio-bookinfo/}, named as the file. */
    static SourceFile fixture(String name) throws IOException {
        try (InputStream in = MeshControlContract.class.getResourceAsStream("/fixtures/istio-bookinfo/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new SourceFile(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
