package dev.meshdeck.console.cli;

import java.util.concurrent.CountDownLatch;

/** A {@link StopSignal} a test pulls by hand instead of Ctrl-C, and that records that the command cleaned up. */
final class LatchStopSignal implements StopSignal {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Tells the command to stop. */
    void pull() {
        stop.countDown();
    }

    /** Whether the command said it has cleaned up. */
    boolean commandStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public void awaitStop() throws InterruptedException {
        stop.await();
    }

    @Override
    public void stopped() {
        stopped.countDown();
    }
}
