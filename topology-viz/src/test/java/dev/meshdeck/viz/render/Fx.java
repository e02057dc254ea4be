package dev.meshdeck.viz.render;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs test code on the JavaFX application thread and waits (bounded) for its result. */
final class Fx {

    private Fx() {
    }

    static <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
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
