package dev.meshdeck.console.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** How a long-running command learns it should stop, and tells whoever asked that it has. */
interface StopSignal {

    /** Blocks until the command should stop. */
    void awaitStop() throws InterruptedException;

    /** The command has cleaned up. */
    void stopped();

    /** The command's clean-up may take {@code time} (a sidecar's drain); the default allows 10 s. */
    default void cleanUpTakes(Duration time) {
    }

    /**
     * Stops on Ctrl-C or SIGTERM: a shutdown hook that waits for the command to clean up, up to 10 s or what
     * {@link #cleanUpTakes} said.
     */
    static StopSignal onShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Duration> cleanUp = new AtomicReference<>(Duration.ofSeconds(10));
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(cleanUp.get().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meshdeck-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return new StopSignal() {
            @Override
            public void awaitStop() throws InterruptedException {
                stop.await();
            }

            @Override
            public void cleanUpTakes(Duration time) {
                cleanUp.set(time);
            }

            @Override
            public void stopped() {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns now that done is counted down
                }
            }
        };
    }
}
