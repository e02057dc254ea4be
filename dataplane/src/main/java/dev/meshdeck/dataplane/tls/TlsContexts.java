package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.config.TlsSettings.Certificate;
import dev.meshdeck.dataplane.config.TlsSettings.PemCertificate;
import dev.meshdeck.dataplane.config.TlsSettings.PemRoots;
import dev.meshdeck.dataplane.config.TlsSettings.SystemRoots;
import dev.meshdeck.dataplane.config.TlsSettings.Validation;
import dev.meshdeck.dataplane.config.TlsSettings.WorkloadSecret;
import dev.meshdeck.dataplane.config.TlsSettings.WorkloadRoots;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty {@link SslContext}s (JDK provider, ALPN) for clusters' and listeners' TLS settings, with the
 * certificates they name: the workload's from the {@link SecretStore} ({@code default}, {@code ROOTCA}), or
 * PEM files. A context is built once per settings and identity and rebuilt when the identity is renewed, so
 * connections opened after a renewal present the new certificate. Host name verification is off, as in
 * Envoy: the peer is checked against the trust bundle and the SAN matchers ({@link Sans}).
 */
public final class TlsContexts {
    private static final int MAX_CACHED = 256;

    private final SecretStore secrets;
    private final ConcurrentMap<Object, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(WorkloadCertificate identity, SslContext context) {
    }

    private record ClientKey(TlsSettings.Upstream settings, List<String> alpn) {
    }

    /** Settings need the workload identity and the CA has not issued one yet. */
    public static final class NoWorkloadCertificateException extends Exception {
        public NoWorkloadCertificateException() {
            super("no workload certificate yet");
        }
    }

    public TlsContexts(SecretStore secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** Contexts without a workload identity: only PEM-file TLS works. */
    public static TlsContexts withoutIdentity() {
        return new TlsContexts(new SecretStore());
    }

    public SecretStore secrets() {
        return secrets;
    }

    /**
     * The client context for a cluster's settings, offering {@code alpn} (empty: no ALPN).
     *
     * @throws NoWorkloadCertificateException when the settings need the workload identity and there is none yet
     * @throws IllegalStateException          when a PEM file cannot be read or is not valid
     */
    public SslContext client(TlsSettings.Upstream settings, List<String> alpn) throws NoWorkloadCertificateException {
        return cached(new ClientKey(settings, List.copyOf(alpn)), settings.usesWorkloadIdentity(), identity -> {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .endpointIdentificationAlgorithm(null);
            Certificate cert = settings.certificate();
            if (cert != null) {
                switch (cert) {
                    case WorkloadSecret w -> b.keyManager(identity.key(), identity.chain());
                    case PemCertificate p -> b.keyManager(open(p.chain()), open(p.key()));
                }
            }
            trust(b, settings.validation(), identity, true);
            return alpn(b, alpn).build();
        });
    }

    /**
     * The server context for a listener's TLS chain.
     *
     * @throws NoWorkloadCertificateException when the chain needs the workload identity and there is none yet
     */
    public SslContext server(TlsSettings.Listener settings) throws NoWorkloadCertificateException {
        return cached(settings, settings.usesWorkloadIdentity(), identity -> {
            SslContextBuilder b = switch (settings.certificate()) {
                case WorkloadSecret w -> SslContextBuilder.forServer(identity.key(), identity.chain());
                case PemCertificate p -> SslContextBuilder.forServer(open(p.chain()), open(p.key()));
            };
            b.sslProvider(SslProvider.JDK);
            if (settings.validation() != null && settings.validation().trust() != null) {
                trust(b, settings.validation(), identity, false);
                b.clientAuth(settings.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return alpn(b, settings.alpn()).build();
        });
    }

    private interface Builder {
        SslContext build(WorkloadCertificate identity) throws SSLException;
    }

    private SslContext cached(Object key, boolean usesIdentity, Builder builder) throws NoWorkloadCertificateException {
        WorkloadCertificate identity = usesIdentity ? secrets.current().orElse(null) : null;
        if (usesIdentity && identity == null) {
            throw new NoWorkloadCertificateException();
        }
        Cached c = cache.get(key);
        if (c != null && c.identity() == identity) {
            return c.context();
        }
        SslContext context;
        try {
            context = builder.build(identity);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Cached(identity, context));
        return context;
    }

    private static void trust(SslContextBuilder b, Validation v, WorkloadCertificate identity,
                              boolean client) {
        if (v == null || v.trust() == null) {
            if (client) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return;
        }
        switch (v.trust()) {
            case WorkloadRoots r -> b.trustManager(identity.roots());
            case PemRoots r -> b.trustManager(open(r.bundle()));
            case SystemRoots r -> b.trustManager((TrustManagerFactory) null);
        }
    }

    private static SslContextBuilder alpn(SslContextBuilder b, List<String> protocols) {
        if (!protocols.isEmpty()) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols));
        }
        return b;
    }

    private static InputStream open(TlsSettings.Pem pem) {
        if (pem.inline() != null) {
            return new ByteArrayInputStream(pem.inline().getBytes(StandardCharsets.US_ASCII));
        }
        try {
            return new ByteArrayInputStream(Files.readAllBytes(Path.of(pem.path())));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pem.describe() + ": " + e.getMessage(), e);
        }
    }
}
