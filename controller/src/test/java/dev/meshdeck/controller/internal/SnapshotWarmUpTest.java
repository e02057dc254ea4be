package dev.meshdeck.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.fixtures.Bookinfo;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotWarmUpTest {
    private final TranslatedMesh bookinfo = new MeshTranslator().translate(new MeshConfig(List.of()), Bookinfo.registry());

    @Test
    void thePlaceholderIsTranslatedLikeASidecarWithAnAppBehindIt() {
        Snapshot snapshot = SnapshotWarmUp.snapshot(bookinfo).orElseThrow();

        assertThat(snapshot.resources(ResourceType.LISTENER).values()).extracting(r -> ((Listener) r).getName())
                .contains(XdsNames.OUTBOUND, XdsNames.INBOUND);
        assertThat(snapshot.resources(ResourceType.CLUSTER)).isNotEmpty();
        assertThat(snapshot.resources(ResourceType.ROUTE)).isNotEmpty();
    }

    @Test
    void theWarmUpRunsOnADaemonThreadThatEnds() throws InterruptedException {
        Thread warmUp = SnapshotWarmUp.start(bookinfo);

        assertThat(warmUp.isDaemon()).isTrue();
        assertThat(warmUp.join(Duration.ofSeconds(30))).isTrue();
    }
}
