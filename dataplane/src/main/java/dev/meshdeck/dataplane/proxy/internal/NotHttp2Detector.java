package dev.meshdeck.dataplane.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * The first handler of a plain-text HTTP/2 connection upstream (h2c, prior knowledge): tells an upstream that does
 * not speak HTTP/2 by its first bytes. An HTTP/2 server's first frame is SETTINGS, whose fourth byte (the frame
 * type) is 4; an HTTP/1.x server answers the connection preface with a status line ({@code HTTP/1.1 400 Bad
 * Request}), or an error page with none (Python's {@code http.server}). Such an answer is dropped and the
 * connection closed, before the HTTP/2 codec takes it for a broken frame; {@code onNotHttp2} first gets the answer's
 * first line (printable ASCII, at most {@link #SHOWN} characters; empty if it has none). An HTTP/2 answer passes on,
 * and the handler leaves the pipeline.
 */
final class NotHttp2Detector extends ChannelInboundHandlerAdapter {
    /** The most characters of the answer's first line that {@code onNotHttp2} gets. */
    static final int SHOWN = 40;
    private static final int SETTINGS_TYPE = 0x4;

    private final Consumer<String> onNotHttp2;
    private final byte[] first = new byte[4];
    private int seen;
    /** The answer's first line so far, while it is printable; null once it is not. */
    private StringBuilder line = new StringBuilder();
    private boolean lineEnded;
    private boolean closing;

    NotHttp2Detector(Consumer<String> onNotHttp2) {
        this.onNotHttp2 = onNotHttp2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // more of the answer, while the connection closes
            return;
        }
        if (!(msg instanceof ByteBuf buf)) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        int n = Math.min(first.length - seen, buf.readableBytes());
        buf.getBytes(buf.readerIndex(), first, seen, n);
        seen += n;
        readLine(buf);
        if (seen < first.length) {
            ctx.fireChannelRead(msg); // too few bytes to tell; the codec waits for a whole frame header
            return;
        }
        if (first[3] == SETTINGS_TYPE) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        closing = true;
        buf.release();
        onNotHttp2.accept(line == null ? "" : line.toString());
        ctx.close();
    }

    /** Adds {@code buf}'s bytes to the first line, up to its end or {@link #SHOWN} characters. */
    private void readLine(ByteBuf buf) {
        for (int i = buf.readerIndex(); line != null && !lineEnded && i < buf.writerIndex(); i++) {
            byte b = buf.getByte(i);
            if (b == '\r' || b == '\n' || line.length() == SHOWN) {
                lineEnded = true;
            } else if (b < 0x20 || b > 0x7e) {
                line = null;
            } else {
                line.append((char) b);
            }
        }
    }
}
