package dev.meshdeck.viz.io;

import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SyntheticTopologyTest {

    @Test
    void generatesTheSameMeshForTheSameSeed() {
        assertThat(SyntheticTopology.generate(200, 5)).isEqualTo(SyntheticTopology.generate(200, 5));
        assertThat(SyntheticTopology.generate(200, 5)).isNotEqualTo(SyntheticTopology.generate(200, 6));
    }

    @Test
    void generatesARealisticMesh() {
        TopologyGraph g = SyntheticTopology.generate(400, 1);

        assertThat(g.nodes().stream().filter(n -> n.kind() == NodeKind.SERVICE)).hasSize(400);
        assertThat(g.nodes().stream().filter(n -> n.kind() == NodeKind.EXTERNAL)).hasSizeGreaterThan(2);
        assertThat(g.namespaces()).hasSize(10);
        assertThat(g.nodes().stream().filter(n -> !n.badges().isEmpty())).isNotEmpty();
        assertThat((double) g.edgeCount() / g.nodeCount()).isBetween(1.5, 3.5);
        // the split weights of every service's versions add up to 100
        for (GraphNode s : g.nodes()) {
            if (s.kind() == NodeKind.SERVICE) {
                double sum = g.outgoing(s.id()).stream().filter(e -> e.splitWeight() != null)
                        .mapToDouble(GraphEdge::splitWeight).sum();
                assertThat(sum).as(s.id()).isCloseTo(100, within(1e-9));
            }
        }
    }

    @Test
    void rejectsANonPositiveSize() {
        assertThatThrownBy(() -> SyntheticTopology.generate(0, 1)).hasMessage("services: 0 (expected: >= 1)");
    }
}
