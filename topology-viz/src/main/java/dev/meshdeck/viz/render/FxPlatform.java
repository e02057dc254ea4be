package dev.meshdeck.viz.render;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starting JavaFX outside an {@code Application} (benchmarks, one-shot screenshots): with no display it
 * picks the headless Monocle platform when that is on the class path, and the software renderer.
 */
public final class FxPlatform {

    private static boolean started;

    private FxPlatform() {
    }

    /** Whether there is no display to open windows on (no X11 or Wayland display in the environment). */
    public static boolean headless() {
        return System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).matches(".*(windows|mac).*");
    }

    /** Whether the headless Monocle platform is on the class path. */
    public static boolean monocleAvailable() {
        try {
            Class.forName("com.sun.glass.ui.monocle.MonoclePlatformFactory", false, FxPlatform.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Sets the system properties for a headless start (Monocle, software rendering) when there is no
     * display; call before the toolkit starts. Keeps properties the user set.
     *
     * @throws IllegalStateException when there is no display and no Monocle
     */
    public static void configureForEnvironment() {
        if (!headless()) {
            return;
        }
        if (!monocleAvailable()) {
            throw new IllegalStateException("no display (DISPLAY is not set) and no headless JavaFX platform on the"
                    + " class path; run under a display, e.g. xvfb-run -a");
        }
        System.setProperty("glass.platform", System.getProperty("glass.platform", "Monocle"));
        System.setProperty("monocle.platform", System.getProperty("monocle.platform", "Headless"));
        System.setProperty("prism.order", System.getProperty("prism.order", "sw"));
    }

    /** Starts the JavaFX toolkit once (configured for the environment), without an application window. */
    public static synchronized void startOnce() {
        if (started) {
            return;
        }
        configureForEnvironment();
        CountDownLatch ready = new CountDownLatch(1);
        try {
            Platform.startup(ready::countDown);
        } catch (IllegalStateException alreadyRunning) {
            ready.countDown();
        }
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the JavaFX toolkit did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting JavaFX", e);
        }
        Platform.setImplicitExit(false);
        started = true;
    }

    /** Runs {@code task} on the JavaFX application thread and returns its result (waits at most 10 minutes). */
    public static <T> T call(Callable<T> task) {
        return call(task, java.time.Duration.ofMinutes(10));
    }

    /** Runs {@code task} on the JavaFX application thread and returns its result, waiting at most {@code limit}. */
    public static <T> T call(Callable<T> task, java.time.Duration limit) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("JavaFX task did not finish within " + limit, e);
        }
    }
}
