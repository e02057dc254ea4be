package dev.meshdeck.viz.io;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyJsonTest {

    @Test
    void roundTripsAGraphWithItsLayout() {
        TopologyGraph g = SyntheticTopology.generate(80, 7);
        Layout layout = new LayeredLayout().layout(g, Layout.EMPTY).pin(g.nodeAt(3).id(), new Point(-0.0, 1e-7));

        String json = TopologyJson.write(g, layout);
        TopologyDocument back = TopologyJson.read(json);

        assertThat(back.graph()).isEqualTo(g);
        assertThat(back.layout()).isEqualTo(layout);
        assertThat(TopologyJson.write(back.graph(), back.layout())).isEqualTo(json);
    }

    @Test
    void savesAndLoadsALayoutAlone(@TempDir Path dir) throws Exception {
        TopologyGraph g = Fixtures.bookinfo();
        Layout layout = new LayeredLayout().layout(g, Layout.EMPTY).pin("ratings", new Point(1.5, -2.25));

        Layout back = TopologyJson.readLayout(TopologyJson.writeLayout(layout));

        assertThat(back).isEqualTo(layout);
        assertThat(back.pinned()).containsExactly("ratings");
        Path file = dir.resolve("topology.json");
        TopologyJson.write(file, g, layout);
        assertThat(TopologyJson.read(file)).isEqualTo(new TopologyDocument(g, layout));
    }

    @Test
    void writesTheVersionedFormatWithReadableFields() {
        TopologyGraph g = Fixtures.bookinfo();
        g = g.withNodeUpdates(List.of(g.node("ratings").withHealth(Health.FAILING).withBadges(Set.of(Badge.CIRCUIT_OPEN))));

        String json = TopologyJson.write(g, Layout.EMPTY);

        assertThat(json).startsWith("{\n  \"format\": \"meshdeck-topology/v1\",\n  \"nodes\": [\n");
        assertThat(json).contains("{\"id\":\"ratings\", \"kind\":\"SERVICE\", \"namespace\":\"data\", "
                + "\"health\":\"FAILING\", \"mtls\":\"UNKNOWN\", \"badges\":[\"CIRCUIT_OPEN\"]}");
        assertThat(json).contains("\"splitWeight\":33}");
    }

    @Test
    void readsAMinimalHandWrittenTopology() {
        TopologyDocument doc = TopologyJson.read("""
                {"format": "meshdeck-topology/v1",
                 "nodes": [{"id": "web", "kind": "SERVICE", "namespace": "shop"},
                           {"id": "db", "kind": "EXTERNAL"}],
                 "edges": [{"source": "web", "target": "db", "protocol": "TCP"}]}
                """);

        assertThat(doc.graph().edge("web->db").metrics().requestsPerSecond()).isZero();
        assertThat(doc.layout()).isEqualTo(Layout.EMPTY);
    }

    @Test
    void namesTheJsonPathOfAnUnknownEnumValue() {
        assertThatThrownBy(() -> TopologyJson.read("""
                {"format": "meshdeck-topology/v1",
                 "nodes": [{"id": "web", "kind": "SERVICE", "namespace": "shop", "health": "GOOD"}]}
                """))
                .isInstanceOf(TopologyFormatException.class)
                .hasMessage("$.nodes[0].health: 'GOOD' (expected one of [HEALTHY, DEGRADED, FAILING, IDLE, UNKNOWN])");
    }

    @Test
    void namesTheJsonPathOfASuccessRateOutOfRange() {
        assertThatThrownBy(() -> TopologyJson.read("""
                {"format": "meshdeck-topology/v1",
                 "nodes": [{"id": "a", "kind": "SERVICE", "namespace": "n"}, {"id": "b", "kind": "SERVICE", "namespace": "n"}],
                 "edges": [{"source": "a", "target": "b", "metrics": {"requestsPerSecond": 3, "successRate": 1.5}}]}
                """))
                .hasMessage("$.edges[0].metrics: successRate: 1.5 (expected: 0..1)");
    }

    @Test
    void namesTheJsonPathOfAnEdgeToAnUnknownNode() {
        assertThatThrownBy(() -> TopologyJson.read("""
                {"format": "meshdeck-topology/v1",
                 "nodes": [{"id": "a", "kind": "SERVICE", "namespace": "n"}],
                 "edges": [{"source": "a", "target": "ghost"}]}
                """))
                .hasMessage("$.edges[0].target: 'ghost' is not a node id");
    }

    @Test
    void rejectsAnotherFormatUnknownFieldsAndDuplicates() {
        assertThatThrownBy(() -> TopologyJson.read("{\"format\": \"meshdeck-topology/v2\", \"nodes\": []}"))
                .hasMessage("$.format: 'meshdeck-topology/v2' (expected: meshdeck-topology/v1)");
        assertThatThrownBy(() -> TopologyJson.read("{\"format\": \"meshdeck-topology/v1\", \"nodes\": [], \"extra\": 1}"))
                .hasMessageStartingWith("$.extra: unknown field");
        assertThatThrownBy(() -> TopologyJson.read("""
                {"format": "meshdeck-topology/v1", "nodes": [{"id": "a", "kind": "EXTERNAL"}, {"id": "a", "kind": "EXTERNAL"}]}
                """))
                .hasMessage("$.nodes[1].id: 'a' already used by $.nodes[0]");
        assertThatThrownBy(() -> TopologyJson.read("""
                {"format": "meshdeck-topology/v1", "nodes": [{"id": "a", "kind": "EXTERNAL"}],
                 "layout": {"positions": {"b": {"x": 1, "y": 2}}}}
                """))
                .hasMessage("$.layout.positions.b: not a node id");
    }

    @Test
    void namesLineAndColumnOfASyntaxError() {
        assertThatThrownBy(() -> TopologyJson.read("{\n  \"format\": \"meshdeck-topology/v1\",\n  \"nodes\": [1 2]\n}"))
                .isInstanceOf(TopologyFormatException.class)
                .hasMessage("line 3, column 15: JSON syntax error: expected ',' or ']'");
        assertThatThrownBy(() -> TopologyJson.read("{\"format\": \"meshdeck-topology/v1\", \"nodes\": \"x\"}"))
                .hasMessage("$.nodes: 'x' (expected: an array)");
        assertThatThrownBy(() -> TopologyJson.read("{\"nodes\": []}")).hasMessage("$.format: missing");
    }
}
