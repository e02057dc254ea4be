package dev.meshdeck.dataplane.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the first bytes an h2c upstream sends tell HTTP/2 from an app that speaks HTTP/1.1 only. */
class NotHttp2DetectorTest {
    /** An HTTP/2 server's first frame: SETTINGS (type 4) with one setting, on stream 0. */
    private static final byte[] SETTINGS = {0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100};

    private final List<String> answers = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new NotHttp2Detector(answers::add));

    @Test
    void anHttp2ServersSettingsPassOnAndTheDetectorLeaves() {
        channel.writeInbound(Unpooled.wrappedBuffer(SETTINGS));

        ByteBuf passed = channel.readInbound();
        assertThat(bytesOf(passed)).containsExactly(SETTINGS);
        passed.release();
        assertThat(channel.pipeline().get(NotHttp2Detector.class)).isNull();
        assertThat(answers).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anHttp11StatusLineClosesTheConnectionAndIsReportedNotPassedOn() {
        channel.writeInbound(ascii("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n"));

        assertThat(answers).containsExactly("HTTP/1.1 400 Bad Request");
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anAnswerSplitBeforeItsFourthByteIsJudgedOnceTheFourthArrives() {
        channel.writeInbound(ascii("HT"));
        assertThat(answers).isEmpty();
        ByteBuf start = channel.readInbound(); // passed on: the codec would wait for a whole frame header
        start.release();

        channel.writeInbound(ascii("TP/1.0 505 HTTP Version Not Supported\r\n\r\n"));

        assertThat(answers).containsExactly("HTTP/1.0 505 HTTP Version Not Supported");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anErrorPageWithoutAStatusLineIsNotHttp2Either() {
        channel.writeInbound(ascii("<!DOCTYPE HTML>\n<html>...</html>\n"));

        assertThat(answers).containsExactly("<!DOCTYPE HTML>");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void binaryThatIsNotSettingsIsReportedWithoutItsBytes() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46}));

        assertThat(answers).containsExactly("");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aLongFirstLineIsCut() {
        channel.writeInbound(ascii("HTTP/1.1 400 " + "x".repeat(200) + "\r\n"));

        assertThat(answers).singleElement().asString().hasSize(NotHttp2Detector.SHOWN).startsWith("HTTP/1.1 400 x");
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static byte[] bytesOf(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }
}
