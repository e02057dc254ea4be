package dev.meshdeck.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.ProxyResources;
import dev.meshdeck.controller.translate.TranslatedMesh;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticMeshTest {
    private final SyntheticMesh mesh = new SyntheticMesh(4);

    @Test
    void givesEveryServiceARuleWithThreeSubsetsAndAWeightedSplit() {
        MeshConfig config = mesh.config();

        assertThat(config.destinationRules()).hasSize(4)
                .allSatisfy(dr -> assertThat(dr.subsets()).extracting(s -> s.name()).containsExactly("v1", "v2", "v3"));
        assertThat(config.virtualServices()).hasSize(4).allSatisfy(vs -> assertThat(weights(vs)).isEqualTo(List.of(60, 30, 10)));
    }

    @Test
    void changesTheSplitOfOneServiceOnly() {
        MeshConfig changed = mesh.withSplit(2, List.of(10, 30, 60));

        assertThat(changed.virtualServices()).extracting(SyntheticMeshTest::weights).containsExactly(
                List.of(60, 30, 10), List.of(60, 30, 10), List.of(10, 30, 60), List.of(60, 30, 10));
        assertThat(mesh.withSplitEverywhere(List.of(0, 0, 100)).virtualServices())
                .allSatisfy(vs -> assertThat(weights(vs)).isEqualTo(List.of(0, 0, 100)));
    }

    @Test
    void refusesASplitThatDoesNotAddUpToAHundred() {
        assertThatIllegalArgumentException().isThrownBy(() -> mesh.withSplit(0, List.of(60, 30, 20)))
                .withMessage("split: [60, 30, 20] (expected: 3 weights of 0 or more adding up to 100)");
    }

    @Test
    void describesSidecarsByTheNodeTheyWouldSend() {
        ProxyInfo fifth = mesh.sidecar(5);

        assertThat(fifth.type()).isEqualTo(ProxyType.SIDECAR);
        assertThat(fifth.service()).isEqualTo("svc-0001");
        assertThat(fifth.labels()).containsEntry("version", "v2");
        assertThat(fifth.address()).isEqualTo("10.0.0.5");
        assertThat(fifth.servesTraffic()).isTrue();
        assertThat(mesh.registry(12).proxies()).extracting(ProxyInfo::nodeId).doesNotHaveDuplicates().hasSize(12);
    }

    @Test
    void translatesToOwnListenersPerSidecarAndASharedSplitPerService() {
        TranslatedMesh translated = new MeshTranslator().translate(mesh.config(), mesh.registry(12));

        ProxyResources first = translated.resourcesFor(mesh.sidecar(0));
        assertThat(first.listeners()).extracting(l -> l.getName()).containsExactlyInAnyOrder("inbound", "outbound");
        RouteConfiguration outbound = first.routes().stream().filter(r -> r.getName().equals("outbound")).findFirst()
                .orElseThrow();
        assertThat(outbound.getVirtualHostsList()).hasSize(4);
        assertThat(outbound.getVirtualHosts(0).getRoutes(0).getRoute().getWeightedClusters().getClustersList())
                .extracting(c -> c.getWeight().getValue()).containsExactly(60, 30, 10);
        assertThat(first.endpoints()).isNotEmpty();
    }

    private static List<Integer> weights(VirtualService vs) {
        return vs.http().getFirst().route().stream().map(VirtualService.RouteDestination::weight).toList();
    }
}
