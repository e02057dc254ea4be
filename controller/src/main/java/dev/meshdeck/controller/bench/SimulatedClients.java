package dev.meshdeck.controller.bench;

import java.time.Duration;

/** The simulated xDS clients of a fan-out benchmark, wherever they run. */
public interface SimulatedClients extends AutoCloseable {
    /**
     * Waits until every client has ACKed a first version of each type it subscribed to.
     *
     * @return from opening the first stream to the last client being in sync
     * @throws IllegalStateException if they are not all in sync within {@code timeout}
     */
    Duration awaitSynced(Duration timeout) throws InterruptedException;

    /** Where the clients run, for the report: "in-process", or the child process and its CPUs. */
    String where();

    /** Ends every stream. */
    @Override
    void close();
}
