package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.Sans;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.tls.TlsStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The TLS filter chain of a listener (Envoy's {@code tls_inspector} + {@code transport_protocol} match +
 * {@code DownstreamTlsContext}): the first handler of a client connection on a listener with TLS. It looks at
 * the first byte: a TLS handshake record (a ClientHello) gets an {@link SslHandler} with the listener's
 * certificate, client-certificate check and ALPN ({@code h2}, {@code http/1.1}), after which the protocol
 * detector behind it sees the decrypted bytes and sets up HTTP/2 or HTTP/1.1 as for plain text. Plain text
 * passes when the listener also has a plain-text chain (PERMISSIVE) and is refused (closed) otherwise. Once
 * the handshake is done the client's identity is kept on the connection ({@link #PEER}) for
 * {@code x-forwarded-client-cert}. Counts Envoy's {@code listener.<ip>_<port>.ssl.*} stats.
 */
final class DownstreamTls extends ByteToMessageDecoder {
    private static final Logger LOG = Logger.getLogger(DownstreamTls.class.getName());
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** The verified client of a TLS connection, for {@code x-forwarded-client-cert}. */
    record Peer(String by, String hash, String uri) {
        /** Envoy's format: {@code By=<own SPIFFE ID>;Hash=<SHA-256 of the client's certificate>;URI=<client's SPIFFE ID>}. */
        String xfcc() {
            return "By=" + by + ";Hash=" + hash + (uri.isEmpty() ? "" : ";URI=" + uri);
        }
    }

    static final AttributeKey<Peer> PEER = AttributeKey.valueOf("meshdeck.tls.peer");

    private final TlsSettings.Listener settings;
    private final TlsContexts contexts;
    private final Stats stats;
    private final Map<String, TlsStats> statsByAddress;

    /**
     * @param statsByAddress the listener's {@code TlsStats} by its local address, shared by its connections
     */
    DownstreamTls(TlsSettings.Listener settings, TlsContexts contexts, Stats stats, Map<String, TlsStats> statsByAddress) {
        this.settings = settings;
        this.contexts = contexts;
        this.stats = stats;
        this.statsByAddress = statsByAddress;
    }

    /** A map for {@link #DownstreamTls}'s stats, one per listener. */
    static Map<String, TlsStats> statsMap() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        boolean tls = in.getByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD;
        if (tls) {
            TlsStats s = stats(ctx.channel());
            SslHandler ssl;
            try {
                ssl = contexts.server(settings).newHandler(ctx.alloc());
            } catch (TlsContexts.NoWorkloadCertificateException | IllegalStateException e) {
                s.connectionError.inc();
                LOG.log(Level.FINE, "TLS client refused: {0}", e.getMessage());
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            ssl.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
            ssl.handshakeFuture().addListener(f -> handshaken(ctx.channel(), ssl, s, f.isSuccess() ? null : f.cause()));
            ctx.pipeline().addAfter(ctx.name(), "tls", ssl);
            // Errors of the TLS layer (a failed handshake, a bad record) end the connection quietly.
            ctx.pipeline().addAfter("tls", "tls-errors", ConnectionErrors.INSTANCE);
        } else if (!settings.plaintextAllowed()) {
            // STRICT: no filter chain matches plain text.
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
    }

    private void handshaken(Channel ch, SslHandler ssl, TlsStats s, Throwable failure) {
        if (failure != null) {
            LOG.log(Level.FINE, "TLS handshake with {0} failed: {1}",
                    new Object[] {ch.remoteAddress(), s.handshakeFailed(failure)});
            ch.close();
            return;
        }
        Optional<X509Certificate> peer = peerCertificate(ssl);
        if (peer.isPresent() && settings.validation() != null) {
            Optional<String> mismatch = Sans.mismatch(peer.get(), settings.validation().subjectAltNames());
            if (mismatch.isPresent()) {
                s.connectionError.inc();
                s.failVerifySan.inc();
                LOG.log(Level.FINE, "TLS client {0} refused: {1}", new Object[] {ch.remoteAddress(), mismatch.get()});
                ch.close();
                return;
            }
        }
        s.handshake.inc();
        peer.ifPresent(p -> ch.attr(PEER).set(new Peer(ownUri(ssl), sha256(p), first(Sans.uris(p)))));
    }

    private TlsStats stats(Channel ch) {
        String address = ch.localAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + "_" + a.getPort() : String.valueOf(ch.localAddress());
        return statsByAddress.computeIfAbsent(address, a -> new TlsStats(stats, "listener." + a + ".ssl."));
    }

    private static Optional<X509Certificate> peerCertificate(SslHandler ssl) {
        try {
            Certificate[] certs = ssl.engine().getSession().getPeerCertificates();
            return certs.length > 0 && certs[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static String ownUri(SslHandler ssl) {
        Certificate[] local = ssl.engine().getSession().getLocalCertificates();
        return local != null && local.length > 0 && local[0] instanceof X509Certificate x ? first(Sans.uris(x)) : "";
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? "" : values.get(0);
    }

    private static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }
}
