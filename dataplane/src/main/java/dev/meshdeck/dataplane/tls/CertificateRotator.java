package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.xds.internal.Backoff;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Keeps the sidecar's workload certificate fresh, as Istio's agent does: makes an EC P-256 key pair and a
 * CSR for the SPIFFE ID, has the CA sign it, puts the result in the {@link SecretStore}, and renews at half
 * the certificate's lifetime with a new key. A failed attempt is retried after a jittered exponential
 * backoff (1 s doubling to 60 s). All work runs on the given scheduler.
 */
public final class CertificateRotator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CertificateRotator.class.getName());
    /** Istio's default workload certificate lifetime. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

    private final SpiffeId id;
    private final CertificateAuthority ca;
    private final SecretStore store;
    private final Duration validity;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Backoff backoff;
    private ScheduledFuture<?> next;
    private boolean started;
    private boolean closed;
    private String lastError;

    public CertificateRotator(SpiffeId id, CertificateAuthority ca, SecretStore store, Duration validity,
                              ScheduledExecutorService scheduler, Clock clock, RandomGenerator random) {
        this.id = Objects.requireNonNull(id, "id");
        this.ca = Objects.requireNonNull(ca, "ca");
        this.store = Objects.requireNonNull(store, "store");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random);
        if (validity.isNegative() || validity.toSeconds() < 1) {
            throw new IllegalArgumentException("certificate validity " + validity + " (expected: 1 s or more)");
        }
    }

    public SpiffeId id() {
        return id;
    }

    /** Asks for the first certificate now; later calls do nothing. */
    public synchronized void start() {
        if (!started) {
            started = true;
            schedule(Duration.ZERO);
        }
    }

    /** Whether {@link #start()} was called. */
    public synchronized boolean started() {
        return started;
    }

    /** Renews now (whatever the schedule said); completes once the new certificate is in place or the attempt failed. */
    public CompletableFuture<WorkloadCertificate> renewNow() {
        CompletableFuture<WorkloadCertificate> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                done.complete(renew());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Why the last attempt failed, if it did. */
    public synchronized java.util.Optional<String> lastError() {
        return java.util.Optional.ofNullable(lastError);
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = scheduler.schedule(this::attempt, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void attempt() {
        try {
            renew();
        } catch (RuntimeException e) {
            // renew() has scheduled the retry
        }
    }

    /** One renewal: key, CSR, CA, store; then the next renewal (or a retry) is scheduled. */
    private WorkloadCertificate renew() {
        try {
            KeyPair keys = newKeyPair();
            List<String> chain = ca.sign(CertificateRequest.pem(keys, id), validity);
            WorkloadCertificate cert = WorkloadCertificate.fromCaChain(id, keys, chain);
            store.update(cert);
            synchronized (this) {
                lastError = null;
                backoff.reset();
            }
            Duration in = renewalDelay(cert);
            LOG.log(Level.INFO, "workload certificate for {0} valid until {1}; renewing in {2}",
                    new Object[] {id, cert.notAfter(), in});
            schedule(in);
            return cert;
        } catch (Exception e) {
            Duration retry;
            synchronized (this) {
                lastError = e.getMessage();
                retry = backoff.next();
            }
            LOG.log(Level.WARNING, "cannot get a workload certificate for {0} (retrying in {1}): {2}",
                    new Object[] {id, retry, e.getMessage()});
            schedule(retry);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Half the certificate's lifetime after it started (as Istio's agent renews), from now. */
    Duration renewalDelay(WorkloadCertificate cert) {
        Instant start = cert.notBefore();
        Instant renewAt = start.plus(Duration.between(start, cert.notAfter()).dividedBy(2));
        Duration d = Duration.between(clock.instant(), renewAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an EC P-256 key pair: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
