package dev.meshdeck.console.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** How a long-running command learns it should stop, and tells whoever asked that it has. */
interface StopSignal {

    /** Blocks until the command should stop. */
    void awaitStop() throws InterruptedException;

    /** The command has cleaned up. */
    void stopped();

    /** Stops on Ctrl-C or SIGTERM: a shutdown hook that waits (up to 10 s) for the command to clean up. */
    static StopSignal onShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(10, TimeUnit.SECONDS);
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
