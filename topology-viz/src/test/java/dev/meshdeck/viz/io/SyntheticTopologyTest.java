package dev.meshdeck.viz.io;

import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

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
    void keepsMostCallsInsideTheirNamespaceOrGoingToAFewSharedOnes() {
        TopologyGraph g = SyntheticTopology.generate(10_000, 1);

        int inside = 0;
        int shared = 0;
        int toDomains = 0;
        Set<String> namespacePairs = new HashSet<>();
        for (GraphEdge e : g.edges()) {
            String from = g.node(e.source()).namespace();
            String to = g.node(e.target()).namespace();
            if (e.splitWeight() != null || from == null || to == null) {
                continue; // splits, the ingress, external hosts
            }
            if (from.equals(to)) {
                inside++;
            } else if (Set.of("identity", "analytics", "messaging").contains(to)) {
                shared++;
            } else {
                toDomains++;
                namespacePairs.add(from + " " + to);
            }
        }
        int calls = inside + shared + toDomains;
        assertThat((double) inside / calls).isBetween(0.6, 0.8);
        assertThat((double) shared / calls).isBetween(0.1, 0.2);
        // the rest goes to the two or three namespaces each namespace depends on, not everywhere
        assertThat(namespacePairs.size()).isLessThanOrEqualTo(3 * g.namespaces().size());
        // the ingress gateway calls only the entry points, in the frontend namespaces
        assertThat(g.outgoing("ingress")).isNotEmpty().allSatisfy(
                e -> assertThat(g.node(e.target()).namespace()).startsWith("frontend"));
        // and only some namespaces call hosts outside the mesh
        Set<String> egress = new HashSet<>();
        for (GraphEdge e : g.edges()) {
            if (g.node(e.target()).kind() == NodeKind.EXTERNAL) {
                egress.add(g.node(e.source()).namespace());
            }
        }
        assertThat(egress.size()).isBetween(1, g.namespaces().size() / 3);
    }

    @Test
    void keepsTheSizeOfTheBenchmarkMeshes() {
        TopologyGraph a = SyntheticTopology.generate(417, 5, 1);
        assertThat(a.nodeCount()).isEqualTo(1008);
        assertThat(a.edgeCount()).isEqualTo(2948);
    }

    @Test
    void rejectsANonPositiveSize() {
        assertThatThrownBy(() -> SyntheticTopology.generate(0, 1)).hasMessage("services: 0 (expected: >= 1)");
    }
}
