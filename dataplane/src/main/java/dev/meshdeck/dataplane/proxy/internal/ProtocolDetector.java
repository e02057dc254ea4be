package dev.meshdeck.dataplane.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The first handler of a client connection: looks at the first bytes and, when they are the HTTP/2
 * connection preface (h2c with prior knowledge, as gRPC clients send it), sets the connection up for
 * HTTP/2; anything else is HTTP/1.1. Then it leaves the pipeline, handing on the bytes it read.
 */
final class ProtocolDetector extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<ChannelHandlerContext> http1;
    private final Consumer<ChannelHandlerContext> http2;

    /** Each callback adds its protocol's handlers behind this one (the detector removes itself after). */
    ProtocolDetector(Consumer<ChannelHandlerContext> http1, Consumer<ChannelHandlerContext> http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.length);
        boolean prefix = true;
        for (int i = 0; i < n && prefix; i++) {
            prefix = in.getByte(in.readerIndex() + i) == PREFACE[i];
        }
        if (prefix && n < PREFACE.length) {
            return; // maybe HTTP/2: wait for the rest of the preface
        }
        (prefix ? http2 : http1).accept(ctx);
        ctx.pipeline().remove(this);
    }
}
