package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.Sans;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.tls.TlsStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A TLS cluster's connect path: which protocol a request's connection speaks (the cluster's ALPN list
 * decides, else the request's own protocol), the {@link SslHandler} that goes first in a new connection's
 * pipeline (offering that protocol by ALPN, with the cluster's SNI), and the checks once the handshake is
 * done: the server's chain against the trust bundle (in the handshake), its SANs against the cluster's
 * matchers, and the negotiated protocol. Counts Envoy's {@code cluster.<name>.ssl.*} stats.
 */
final class UpstreamTls {
    /** A TLS failure on the way to an endpoint; the message says why, as the 503 shows it. */
    static final class TlsConnectException extends Exception {
        TlsConnectException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final TlsSettings.Upstream settings;
    private final TlsContexts contexts;
    private final TlsStats stats;
    private final int handshakeTimeoutMillis;

    UpstreamTls(TlsSettings.Upstream settings, TlsContexts contexts, Stats stats, String cluster, int handshakeTimeoutMillis) {
        this.settings = settings;
        this.contexts = contexts;
        this.stats = new TlsStats(stats, "cluster." + cluster + ".ssl.");
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /**
     * Whether a request goes over HTTP/2: the cluster's ALPN list decides ({@code ["h2"]} for a gRPC cluster,
     * {@code ["http/1.1"]} otherwise); with both or none listed, the request's own protocol.
     */
    boolean http2(boolean downstreamHttp2) {
        List<String> alpn = settings.alpn();
        boolean h2 = alpn.contains(TlsSettings.H2);
        boolean h1 = alpn.contains(TlsSettings.HTTP_1_1);
        return h2 == h1 ? downstreamHttp2 : h2;
    }

    /**
     * Why no connection of this protocol can be made now (no workload certificate yet, an unreadable file),
     * if so. Builds (and caches) the context the connection will use.
     */
    Optional<String> notReady(boolean http2) {
        try {
            context(http2);
            return Optional.empty();
        } catch (TlsContexts.NoWorkloadCertificateException | IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private SslContext context(boolean http2) throws TlsContexts.NoWorkloadCertificateException {
        return contexts.client(settings, List.of(http2 ? TlsSettings.H2 : TlsSettings.HTTP_1_1));
    }

    /** The handler that goes first in a new connection's pipeline. */
    SslHandler newHandler(Channel ch, Endpoint endpoint, boolean http2) throws TlsContexts.NoWorkloadCertificateException {
        SslContext context = context(http2);
        SslHandler h = settings.sni().isEmpty() ? context.newHandler(ch.alloc())
                : context.newHandler(ch.alloc(), settings.sni(), endpoint.port());
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }

    /**
     * The connection once it can carry requests: connected, handshaken and checked. Fails with a
     * {@link TlsConnectException} naming the reason, and closes the connection.
     */
    Future<Channel> ready(ChannelFuture connect, boolean http2) {
        Channel ch = connect.channel();
        Promise<Channel> ready = ch.eventLoop().newPromise();
        connect.addListener(c -> {
            if (!c.isSuccess()) {
                ready.tryFailure(c.cause());
                return;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            ssl.handshakeFuture().addListener(h -> {
                if (!h.isSuccess()) {
                    ready.tryFailure(new TlsConnectException("TLS error: " + stats.handshakeFailed(h.cause()), h.cause()));
                    ch.close();
                    return;
                }
                Optional<String> problem = check(ssl, http2);
                if (problem.isPresent()) {
                    ready.tryFailure(new TlsConnectException("TLS error: " + problem.get(), null));
                    ch.close();
                    return;
                }
                stats.handshake.inc();
                ready.trySuccess(ch);
            });
            if (!ch.config().isAutoRead()) {
                ch.read();
            }
        });
        return ready;
    }

    private Optional<String> check(SslHandler ssl, boolean http2) {
        if (settings.validation() != null && !settings.validation().subjectAltNames().isEmpty()) {
            X509Certificate peer;
            try {
                peer = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
            } catch (SSLPeerUnverifiedException e) {
                stats.connectionError.inc();
                return Optional.of("the server sent no certificate (ssl.connection_error)");
            }
            Optional<String> mismatch = Sans.mismatch(peer, settings.validation().subjectAltNames());
            if (mismatch.isPresent()) {
                stats.connectionError.inc();
                stats.failVerifySan.inc();
                return Optional.of(mismatch.get() + " (ssl.fail_verify_san)");
            }
        }
        String negotiated = ssl.applicationProtocol();
        String wanted = http2 ? TlsSettings.H2 : TlsSettings.HTTP_1_1;
        if (negotiated != null && !negotiated.equals(wanted)) {
            stats.connectionError.inc();
            return Optional.of("ALPN negotiated " + negotiated + " (expected: " + wanted + ")");
        }
        return Optional.empty();
    }
}
