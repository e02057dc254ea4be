package dev.meshdeck.controller.registry;

import io.grpc.SynchronizationContext;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listeners of one kind of value, called one value at a time and in the order the values were queued,
 * never under the caller's lock: {@link #queue} under the lock that orders the values, then {@link #deliver}
 * outside it. A listener that throws is logged and does not stop the others.
 *
 * @param <T> what the listeners are told
 */
public final class Listeners<T> {
    private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

    private final CopyOnWriteArrayList<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();
    private final SynchronizationContext serial;
    private final String name;

    public Listeners(String name) {
        this.name = name;
        this.serial = new SynchronizationContext(
                (thread, e) -> LOG.log(Level.WARNING, "A " + name + " listener failed", e));
    }

    /** Adds {@code listener}; it hears values queued from now on. */
    public Subscription add(Consumer<? super T> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Queues {@code value} for every current listener; call {@link #deliver} afterwards, outside locks. */
    public void queue(T value) {
        serial.executeLater(() -> {
            for (Consumer<? super T> l : listeners) {
                try {
                    l.accept(value);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A " + name + " listener failed on " + value, e);
                }
            }
        });
    }

    /** Delivers queued values on this thread, unless another thread is already delivering them. */
    public void deliver() {
        serial.drain();
    }
}
