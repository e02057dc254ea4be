package dev.meshdeck.viz.render;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Runs test code on the JavaFX application thread and waits (bounded) for its result; a failure fails the test. */
final class Fx {

    private Fx() {
    }

    static <T> T call(Callable<T> task) {
        try {
            return FxPlatform.call(task, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            throw new AssertionError("JavaFX task failed", e);
        }
    }

    static void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }
}
