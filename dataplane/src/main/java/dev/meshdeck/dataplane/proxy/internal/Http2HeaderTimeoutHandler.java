package dev.meshdeck.dataplane.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The header timeout of an HTTP/2 client connection, in front of the frame codec (it reads the frame headers
 * of the bytes going by and passes the bytes on untouched):
 * <ul>
 *   <li>a connection whose preface and first SETTINGS frame do not arrive within the timeout is closed;</li>
 *   <li>a stream whose header block (HEADERS, then CONTINUATION frames until END_HEADERS) does not complete
 *       within the timeout is reset (RST_STREAM, CANCEL) and, since nothing else may be sent on a connection in
 *       the middle of a header block, the connection is closed too (GOAWAY first).</li>
 * </ul>
 */
final class Http2HeaderTimeoutHandler extends ChannelInboundHandlerAdapter {
    private static final int PREFACE_BYTES = 24;
    private static final int FRAME_HEADER_BYTES = 9;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;
    private static final long CANCEL = 0x8;

    private final Duration timeout;
    private ChannelHandlerContext ctx;
    private final byte[] header = new byte[FRAME_HEADER_BYTES];
    private int headerFill;
    private long skip;
    private boolean settingsSeen;
    private int openHeaderBlock;
    private ScheduledFuture<?> timer;

    /** @param prefaceExpected whether the client's 24-byte connection preface is still to come through here */
    Http2HeaderTimeoutHandler(Duration timeout, boolean prefaceExpected) {
        this.timeout = timeout;
        this.skip = prefaceExpected ? PREFACE_BYTES : 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        arm(this::noSettings);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            scan(b);
        }
        super.channelRead(ctx, msg);
    }

    /** Follows the frame boundaries through {@code b} without moving its reader index. */
    private void scan(ByteBuf b) {
        int i = b.readerIndex();
        int end = b.writerIndex();
        while (i < end) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - i);
                skip -= n;
                i += n;
                continue;
            }
            header[headerFill++] = b.getByte(i++);
            if (headerFill == FRAME_HEADER_BYTES) {
                headerFill = 0;
                onFrameHeader();
            }
        }
    }

    private void onFrameHeader() {
        int length = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | (header[2] & 0xFF);
        int type = header[3] & 0xFF;
        int flags = header[4] & 0xFF;
        int stream = ((header[5] & 0x7F) << 24) | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 8 | (header[8] & 0xFF);
        skip = length;
        if (!settingsSeen) {
            if (type == SETTINGS) {
                settingsSeen = true;
                disarm();
            }
            return; // anything else first is the codec's protocol error to answer
        }
        if ((type == HEADERS || type == PUSH_PROMISE) && (flags & END_HEADERS) == 0) {
            openHeaderBlock = stream;
            arm(this::headersIncomplete);
        } else if (type == CONTINUATION && (flags & END_HEADERS) != 0) {
            openHeaderBlock = 0;
            disarm();
        }
    }

    private void arm(Runnable onExpiry) {
        disarm();
        timer = ctx.executor().schedule(onExpiry, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void noSettings() {
        timer = null;
        ctx.channel().close();
    }

    private void headersIncomplete() {
        timer = null;
        if (!ctx.channel().isActive() || openHeaderBlock == 0) {
            return;
        }
        // The codec is in the middle of the header block and has no stream for it yet: write the reset ourselves.
        ByteBuf rst = ctx.alloc().buffer(FRAME_HEADER_BYTES + 4);
        rst.writeMedium(4).writeByte(RST_STREAM).writeByte(0).writeInt(openHeaderBlock).writeInt((int) CANCEL);
        ctx.writeAndFlush(rst).addListener(f -> ctx.channel().close());
    }
}
