package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.config.TlsSettings.Certificate;
import dev.meshdeck.dataplane.config.TlsSettings.PemCertificate;
import dev.meshdeck.dataplane.config.TlsSettings.PemRoots;
import dev.meshdeck.dataplane.config.TlsSettings.SystemRoots;
import dev.meshdeck.dataplane.config.TlsSettings.Validation;
import dev.meshdeck.dataplane.config.TlsSettings.WorkloadSecret;
import dev.meshdeck.dataplane.config.TlsSettings.WorkloadRoots;
import dev.meshdeck.dataplane.tls.internal.KeyPairCheck;
import dev.meshdeck.dataplane.tls.internal.PemFiles;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty {@link SslContext}s (JDK provider, ALPN) for clusters' and listeners' TLS settings, with the
 * certificates they name: the workload's from the {@link SecretStore} ({@code default}, {@code ROOTCA}), or
 * PEM files. A context is built once per settings and identity and rebuilt when the identity is renewed, so
 * connections opened after a renewal present the new certificate. PEM files are watched the same way: at most
 * once per {@code recheckFiles} a context's use looks at its files' size, modification time and file key, and
 * when one changed (a certificate rotated on disk, a Kubernetes secret volume's symlink swapped) the context is
 * rebuilt from the files; if they cannot be read or do not make a context (caught mid-rotation), the previous
 * context stays and the next check tries again. Host name verification is off, as in Envoy: the peer is checked
 * against the trust bundle and the SAN matchers ({@link Sans}).
 */
public final class TlsContexts {
    private static final Logger LOG = Logger.getLogger(TlsContexts.class.getName());
    private static final int MAX_CACHED = 256;
    /** How often a context's PEM files are looked at, at most. */
    public static final Duration RECHECK_FILES = Duration.ofSeconds(1);

    private final SecretStore secrets;
    private final long recheckFilesNanos;
    private final ConcurrentMap<Object, Cached> cache = new ConcurrentHashMap<>();

    /**
     * A context, the identity it was built with, its PEM files as they were when it was built, when they were
     * last looked at ({@link System#nanoTime}), and the last reload failure reported (so it is logged once).
     */
    private record Cached(WorkloadCertificate identity, SslContext context, List<FileStamp> files, long checkedAt,
                          String reported) {
        Cached checked(long now, String failure) {
            return new Cached(identity, context, files, now, failure);
        }
    }

    /** What a PEM file looked like: a rewrite, a replacement or a symlink swap changes one of these. */
    private record FileStamp(Path path, FileTime modified, long size, Object fileKey) {
        static FileStamp of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                return new FileStamp(path, a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (IOException e) {
                return new FileStamp(path, null, -1, null);
            }
        }
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
        this(secrets, RECHECK_FILES);
    }

    /** Contexts whose PEM files are looked at every {@code recheckFiles} at most (zero: on every use). */
    public TlsContexts(SecretStore secrets, Duration recheckFiles) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.recheckFilesNanos = recheckFiles.toNanos();
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
        return cached(new ClientKey(settings, List.copyOf(alpn)), settings.usesWorkloadIdentity(),
                files(settings.certificate(), settings.validation()), identity -> {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .endpointIdentificationAlgorithm(null);
            Certificate cert = settings.certificate();
            if (cert != null) {
                switch (cert) {
                    case WorkloadSecret w -> b.keyManager(identity.key(), identity.chain());
                    case PemCertificate p -> {
                        byte[] chain = PemFiles.read(p.chain());
                        byte[] key = PemFiles.read(p.key());
                        KeyPairCheck.check(chain, key);
                        b.keyManager(new ByteArrayInputStream(chain), new ByteArrayInputStream(key));
                    }
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
        return cached(settings, settings.usesWorkloadIdentity(), files(settings.certificate(), settings.validation()),
                identity -> {
            SslContextBuilder b = switch (settings.certificate()) {
                case WorkloadSecret w -> SslContextBuilder.forServer(identity.key(), identity.chain());
                case PemCertificate p -> {
                    byte[] chain = PemFiles.read(p.chain());
                    byte[] key = PemFiles.read(p.key());
                    KeyPairCheck.check(chain, key);
                    yield SslContextBuilder.forServer(new ByteArrayInputStream(chain), new ByteArrayInputStream(key));
                }
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

    private SslContext cached(Object key, boolean usesIdentity, List<Path> files, Builder builder)
            throws NoWorkloadCertificateException {
        WorkloadCertificate identity = usesIdentity ? secrets.current().orElse(null) : null;
        if (usesIdentity && identity == null) {
            throw new NoWorkloadCertificateException();
        }
        long now = System.nanoTime();
        Cached c = cache.get(key);
        if (c != null && c.identity() == identity) {
            if (files.isEmpty() || now - c.checkedAt() < recheckFilesNanos) {
                return c.context();
            }
            List<FileStamp> stamps = stamps(files);
            if (stamps.equals(c.files())) {
                cache.put(key, c.checked(now, c.reported()));
                return c.context();
            }
            try {
                SslContext reloaded = build(builder, identity);
                cache.put(key, new Cached(identity, reloaded, stamps, now, null));
                LOG.log(Level.INFO, "TLS: reloaded {0}: a file changed", String.join(", ", files.stream()
                        .map(Path::toString).toList()));
                return reloaded;
            } catch (IllegalStateException e) {
                if (!e.getMessage().equals(c.reported())) {
                    LOG.log(Level.WARNING, "TLS: {0}; keeping the previous certificates and trying again", e.getMessage());
                }
                cache.put(key, c.checked(now, e.getMessage()));
                return c.context();
            }
        }
        List<FileStamp> stamps = stamps(files);
        SslContext context = build(builder, identity);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Cached(identity, context, stamps, now, null));
        return context;
    }

    private static SslContext build(Builder builder, WorkloadCertificate identity) {
        try {
            return builder.build(identity);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static List<FileStamp> stamps(List<Path> files) {
        return files.stream().map(FileStamp::of).toList();
    }

    /** The PEM files a context reads: its certificate chain and key, and its trusted CAs. */
    private static List<Path> files(Certificate cert, Validation validation) {
        List<Path> out = new ArrayList<>();
        if (cert instanceof PemCertificate p) {
            addFile(out, p.chain());
            addFile(out, p.key());
        }
        if (validation != null && validation.trust() instanceof PemRoots r) {
            addFile(out, r.bundle());
        }
        return out;
    }

    private static void addFile(List<Path> out, TlsSettings.Pem pem) {
        if (pem.path() != null) {
            out.add(Path.of(pem.path()));
        }
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
            case PemRoots r -> b.trustManager(new ByteArrayInputStream(PemFiles.read(r.bundle())));
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
}
