package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last handler of an HTTP/2 connection (client or upstream side): an I/O error there (a reset by the
 * peer, say) ends the connection, whose streams' handlers then see it close; it is logged at FINE only.
 */
@ChannelHandler.Sharable
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
    static final ConnectionErrors INSTANCE = new ConnectionErrors();
    private static final Logger LOG = Logger.getLogger(ConnectionErrors.class.getName());

    private ConnectionErrors() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "HTTP/2 connection " + ctx.channel().remoteAddress() + ": " + cause, cause);
        ctx.close();
    }
}
