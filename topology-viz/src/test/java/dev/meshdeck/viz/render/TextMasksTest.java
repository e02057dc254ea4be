package dev.meshdeck.viz.render;

import dev.meshdeck.viz.render.internal.TextMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Text masks: rendered once per text, size and weight, all the new ones together. */
@ExtendWith(ApplicationExtension.class)
class TextMasksTest {

    @Test
    void aTextAskedForAgainAtTheSameSizeIsTheSameMask() {
        Fx.run(() -> {
            TextMasks texts = new TextMasks();
            TextMask a = texts.get("reviews-v1", 12, false);
            assertThat(texts.get("reviews-v1", 12.1, false)).isSameAs(a);
            assertThat(texts.get("reviews-v1", 12, true)).isNotSameAs(a);
            assertThat(texts.get("reviews-v1", 13, false)).isNotSameAs(a);
            texts.renderMissing();
            assertThat(a.isFilled()).isTrue();
            assertThat(a.pixels()).isPositive();
        });
    }

    @Test
    void moreNewTextsThanOneCanvasHoldsAreAllRendered() {
        Fx.run(() -> {
            TextMasks texts = new TextMasks();
            List<TextMask> masks = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                masks.add(texts.get("service-" + i + "-of-the-mesh", 14, i % 2 == 0));
            }
            texts.renderMissing();
            assertThat(masks).allMatch(TextMask::isFilled);
            assertThat(texts.renderings()).isEqualTo(1);
            texts.renderMissing();
            assertThat(texts.renderings()).isEqualTo(1);
        });
    }
}
