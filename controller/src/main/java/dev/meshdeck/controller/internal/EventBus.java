package dev.meshdeck.controller.internal;

import dev.meshdeck.controller.api.MeshEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Hands every published event to every subscriber; a failing subscriber does not stop the others. */
public final class EventBus {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
    private final CopyOnWriteArrayList<Consumer<MeshEvent>> subscribers = new CopyOnWriteArrayList<>();

    public void publish(MeshEvent event) {
        for (Consumer<MeshEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event subscriber failed on " + event, e);
            }
        }
    }

    public AutoCloseable subscribe(Consumer<MeshEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
