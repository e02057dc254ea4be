package dev.meshdeck.controller.registry;

/** A registered listener; closing it stops further calls. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
