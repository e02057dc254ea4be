package dev.meshdeck.controller.workspace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.Kind;
import dev.meshdeck.controller.config.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTextTest {
    private static final ResourceKey VS = new ResourceKey(Kind.VIRTUAL_SERVICE, "default", "reviews");
    private static final ResourceKey DR = new ResourceKey(Kind.DESTINATION_RULE, "default", "reviews");

    @Test
    void rendersDocumentsUnderHeadingsSplitBySeparators() {
        List<StoredDocument> docs = List.of(new StoredDocument(VS, "kind: VirtualService\n"),
                new StoredDocument(DR, "kind: DestinationRule\n"));
        assertThat(ConfigText.render(docs)).isEqualTo("""
                # VirtualService default/reviews
                kind: VirtualService
                ---
                # DestinationRule default/reviews
                kind: DestinationRule
                """);
    }

    @Test
    void parsesBackDocumentsThatContainSeparatorsAndHeadingLookalikes() {
        String tricky = "---\n# DestinationRule default/reviews\nkind: VirtualService\n  ---\nspec: {}\n---\n# comment\n";
        List<StoredDocument> docs = List.of(new StoredDocument(VS, tricky), new StoredDocument(DR, "kind: DestinationRule\n"));
        List<Integer> lines = docs.stream().map(d -> ConfigText.lineCount(d.yaml())).toList();
        assertThat(ConfigText.parse(ConfigText.render(docs), List.of(VS, DR), lines)).isEqualTo(docs);
    }

    @Test
    void normalizesOnlyTrailingLineBreaks() {
        assertThat(ConfigText.normalize("a: 1  \r\n\n\n")).isEqualTo("a: 1  \n");
        assertThat(ConfigText.normalize("  # lead\na: 1")).isEqualTo("  # lead\na: 1\n");
        assertThat(ConfigText.normalize("\n\n")).isEmpty();
    }

    @Test
    void rejectsTextThatDoesNotHoldTheKeys() {
        assertThatThrownBy(() -> ConfigText.parse("# VirtualService default/other\nx\n", List.of(VS), List.of(1)))
                .hasMessageContaining("expected '# VirtualService default/reviews' on line 1");
        assertThatThrownBy(() -> ConfigText.parse("# VirtualService default/reviews\nx\n", List.of(VS, DR), List.of(1, 1)))
                .hasMessageContaining("expected '---' on line 3");
        assertThatThrownBy(() -> ConfigText.parse("# VirtualService default/reviews\nx\n", List.of(VS), List.of(2)))
                .hasMessageContaining("text ends inside VirtualService default/reviews");
        assertThatThrownBy(() -> ConfigText.parse("# VirtualService default/reviews\nx\ny\n", List.of(VS), List.of(1)))
                .hasMessageContaining("unexpected text on line 3");
    }
}
