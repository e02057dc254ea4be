package dev.meshdeck.dataplane.tls;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sidecar's local SDS: the two secrets TLS contexts may name, {@code default} (the workload's
 * certificate and key) and {@code ROOTCA} (its trust bundle), both from the current
 * {@link WorkloadCertificate}. Swapped atomically on renewal; connections opened afterwards use the new one,
 * open ones keep theirs.
 */
public final class SecretStore {
    private final AtomicReference<WorkloadCertificate> current = new AtomicReference<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** The current identity, if the CA issued one yet. */
    public Optional<WorkloadCertificate> current() {
        return Optional.ofNullable(current.get());
    }

    /** Puts {@code next} in place and tells the listeners. */
    public void update(WorkloadCertificate next) {
        current.set(Objects.requireNonNull(next, "next"));
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every update (on the updating thread). */
    public void onUpdate(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
