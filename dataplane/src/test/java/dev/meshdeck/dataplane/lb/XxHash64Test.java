package dev.meshdeck.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XxHash64Test {

    @Test
    void matchesTheReferenceVectorsOfXxh64() {
        assertThat(XxHash64.hash("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(XxHash64.hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(XxHash64.hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void aSeedChangesTheHash() {
        byte[] data = "reviews".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(XxHash64.hash(data, 1)).isNotEqualTo(XxHash64.hash(data, 0));
        assertThat(XxHash64.hash(data, 0)).isEqualTo(XxHash64.hash("reviews"));
    }
}
