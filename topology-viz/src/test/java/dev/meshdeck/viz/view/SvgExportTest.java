package dev.meshdeck.viz.view;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SvgExportTest {

    private static String svg(ViewOptions options, NodeFilter filter) {
        TopologyGraph g = Fixtures.bookinfo();
        SceneModel scene = new SceneModel(g, new LayeredLayout().layout(g, Layout.EMPTY), NodeSizing.DEFAULT);
        SvgPainter painter = new SvgPainter();
        new SceneDrawer().draw(scene, ViewState.NONE, options.withFilter(filter),
                Viewport.fit(scene.bounds(), 1200, 800, 20), 1200, 800, 0, painter);
        return painter.document();
    }

    @Test
    void containsEveryNodeLabelAndIsWellFormedXml() throws Exception {
        String svg = svg(ViewOptions.DEFAULT, NodeFilter.ALL);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("1200");
        for (GraphNode n : Fixtures.bookinfo().nodes()) {
            assertThat(svg).contains(">" + n.label());
        }
        assertThat(svg).contains("100 rps"); // the edge labels
        assertThat(svg).contains(SvgPainter.rgb(Styling.splitColour(2))); // the reviews split bar
    }

    @Test
    void leavesOutWhatTheFilterHides() {
        String svg = svg(ViewOptions.DEFAULT, new NodeFilter(null, "data", null));
        assertThat(svg).contains(">ratings").doesNotContain(">details");
    }

    @Test
    void escapesMarkupInLabels() {
        assertThat(SvgPainter.escape("a<b & \"c\">")).isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
