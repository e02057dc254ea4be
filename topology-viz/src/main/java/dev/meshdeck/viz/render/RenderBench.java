package dev.meshdeck.viz.render;

import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.render.internal.BackgroundThread;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.animation.AnimationTimer;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.stage.Stage;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Frame time of the canvas renderer on the ~1000-node / ~3000-edge synthetic mesh: each frame issues the
 * drawing commands and then renders them to pixels (a snapshot of the renderer's view into a reused image,
 * which composes it and also reads the pixels back: more work than showing them), both on the JavaFX
 * thread, with whatever Prism pipeline is active (software when headless). Views: fit to view (everything,
 * low detail), zoomed in at 0.5 and 1.0 (culling, full detail) with moving traffic dots; a pan of 3 px and
 * one of 12 px every frame at 1.0 (the kept still picture moved, and its strips drawn when the pan leaves
 * the margin); zooming in and out at the centre between 0.5 and 0.9 (a zoom always in motion: the kept
 * still picture scaled), and the same zoom steps each drawn as when the zoom has come to rest (afresh); and a
 * still view without dots (nothing redrawn: the fixed cost of the snapshot).
 * Also the process CPU time per frame (all threads: a figure that a busy machine does not inflate the way
 * it inflates wall time), and the heap in use after GC with the scene built.
 */
public final class RenderBench {

    /**
     * One measured view: its name and median and p99 of the draw calls, and of draw + render also p90 and max,
     * in ms; for pulses on a shown stage, also the JavaFX thread's time in the drawing calls of a pulse
     * (median, p90, max) and the most CPU time it spent in them (0 for the snapshot rows).
     */
    public record Row(String view, int drawnFrames, double drawMedian, double drawP99, double frameMedian,
                      double frameP99, double cpuMedian, double frameP90, double frameMax, double fxMedian,
                      double fxP90, double fxMax, double fxCpuMax) {
    }

    /**
     * The pulses that end a zoom, over {@code cycles} zooms: the JavaFX thread's time of the pulse that ends
     * the zoom (it draws the still picture afresh, or only writes its raster's shapes down) and the most of
     * any pulse until the fresh picture is on the screen (ms: median, p90, max over the zooms); how many
     * pulses after the ending one the fresh picture was on the screen (median, max); the interval between
     * pulses over all of them (median, p90, max) and the process CPU time per pulse; and the JavaFX thread's
     * own CPU time in the pulse that ends the zoom (median, max: without the time another thread of the
     * process took the core from it).
     */
    public record ZoomEnds(String view, int cycles, double endFxMedian, double endFxP90, double endFxMax,
                           double restFxMedian, double restFxMax, double pulsesToFreshMedian,
                           double pulsesToFreshMax, double pulseMedian, double pulseP90, double pulseMax,
                           double cpuPerPulse, double endFxCpuMedian, double endFxCpuMax) {
    }

    /** Zoom factor per frame of the zooming rows: in for {@link #ZOOM_STEPS} frames, then out as many. */
    private static final double ZOOM_STEP = 1.03;
    private static final int ZOOM_STEPS = 20;

    private RenderBench() {
    }

    /** Runs the benchmark (starting JavaFX if needed) and prints a table to {@code out}. */
    public static void run(int frames, int width, int height, PrintWriter out) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames: " + frames + " (expected: >= 1)");
        }
        shownHeap = 0;
        // the headless screen must hold the stage of the pulse measurement (it is 1280 x 800 by default)
        if (System.getProperty("headless.geometry") == null) {
            System.setProperty("headless.geometry", Math.max(1280, width) + "x" + Math.max(800, height) + "-32");
        }
        FxPlatform.startOnce();
        TopologyGraph graph = SyntheticTopology.generate(417, 5, 1);
        Layout layout = new LayeredLayout().layout(graph, Layout.EMPTY);
        SceneModel scene = new SceneModel(graph, layout, NodeSizing.DEFAULT);
        out.printf(Locale.ROOT, "render: %d nodes, %d edges, canvas %d x %d, %d frames per view, Prism pipeline %s%n",
                graph.nodeCount(), graph.edgeCount(), width, height, frames,
                FxPlatform.call(RenderBench::pipeline));
        out.printf(Locale.ROOT, "%-28s %12s %12s %14s %14s %14s %12s %12s%n", "VIEW", "DRAW MEDIAN", "DRAW P99",
                "FRAME MEDIAN", "FRAME P99", "CPU/FRAME MED", "FRAME P90", "FRAME MAX");
        Viewport fit = Viewport.fit(scene.bounds(), width, height, 30);
        double cx = scene.bounds().center().x();
        double cy = scene.bounds().center().y();
        Row[] rows = {
            measure("fit to view (" + String.format(Locale.ROOT, "%.2f", fit.scale()) + "x)", scene, fit, frames,
                    width, height),
            measure("zoomed in 0.5x", scene, new Viewport(0.5, 0, 0).centeredOn(cx, cy, width, height), frames, width,
                    height),
            measure("zoomed in 1.0x", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height), frames, width, height),
            measure("panning at 1.0x (3 px/frame)", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height), frames,
                    width, height, 3, true),
            measure("fast pan 1.0x (12 px/frame)", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height),
                    frames, width, height, 12, true),
            measure("zooming 0.5-0.9x (x1.03)", scene, new Viewport(0.5, 0, 0).centeredOn(cx, cy, width, height),
                    frames, width, height, ZOOMING, true),
            measure("zoom steps at rest (afresh)", scene,
                    new Viewport(0.5, 0, 0).centeredOn(cx, cy, width, height), frames, width, height, ZOOMING, true,
                    true),
            measure("still, no dots (1.0x)", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height), frames,
                    width, height, 0, false),
        };
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-28s %9.2f ms %9.2f ms %11.2f ms %11.2f ms %11.2f ms %9.2f ms %9.2f ms%n",
                    r.view(), r.drawMedian(), r.drawP99(), r.frameMedian(), r.frameP99(), r.cpuMedian(), r.frameP90(),
                    r.frameMax());
        }
        out.printf(Locale.ROOT, "on a shown stage, drawing on every pulse (no snapshot; pulses come at most 60 a"
                + " second, so 16.7 ms is the floor):%n");
        out.printf(Locale.ROOT, "%-28s %12s %12s %14s %12s %12s %12s %12s %12s %12s%n", "VIEW", "PULSE MEDIAN",
                "PULSE P99", "CPU/PULSE", "PULSE P90", "PULSE MAX", "FX MEDIAN", "FX P90", "FX MAX", "FX CPU MAX");
        Row[] pulses = {
            pulses("fit to view, dots", scene, fit, frames, width, height, 0),
            pulses("zoomed in 1.0x, dots", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height), frames, width,
                    height, 0),
            pulses("panning at 1.0x (3 px/pulse)", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height), frames,
                    width, height, 3),
            pulses("fast pan 1.0x (12 px/pulse)", scene, Viewport.IDENTITY.centeredOn(cx, cy, width, height), frames,
                    width, height, 12),
            pulses("zooming 0.5-0.9x (x1.03)", scene,
                    new Viewport(0.5, 0, 0).centeredOn(cx, cy, width, height), frames, width, height, ZOOMING),
        };
        for (Row r : pulses) {
            out.printf(Locale.ROOT, "%-28s %9.2f ms %9.2f ms %11.2f ms %9.2f ms %9.2f ms %9.2f ms %9.2f ms %9.2f ms"
                    + " %9.2f ms%n", r.view(), r.frameMedian(), r.frameP99(), r.cpuMedian(), r.frameP90(), r.frameMax(),
                    r.fxMedian(), r.fxP90(), r.fxMax(), r.fxCpuMax());
        }
        out.printf(Locale.ROOT, "the pulses that end a zoom (%d zooms of %d pulses at x%.2f, in and out, 0.5-0.6x, with"
                + " dots; FX: the JavaFX thread's time in the drawing calls of a pulse):%n", frames, ZOOM_END_PULSES,
                ZOOM_STEP);
        out.printf(Locale.ROOT, "%-28s %12s %12s %12s %12s %12s %9s %9s %12s %12s %12s %12s %12s %12s%n", "VIEW",
                "END FX MED", "END FX P90", "END FX MAX", "REST FX MED", "REST FX MAX", "TO FRESH", "(MAX)",
                "PULSE MEDIAN", "PULSE P90", "PULSE MAX", "CPU/PULSE", "END CPU MED", "END CPU MAX");
        Viewport zoomStart = new Viewport(0.5, 0, 0).centeredOn(cx, cy, width, height);
        ZoomEnds[] ends = {
            zoomEnds("raster on the FX thread", scene, zoomStart, frames, width, height, false),
            zoomEnds("raster in the background", scene, zoomStart, frames, width, height, true),
        };
        for (ZoomEnds z : ends) {
            out.printf(Locale.ROOT, "%-28s %9.2f ms %9.2f ms %9.2f ms %9.2f ms %9.2f ms %9.0f %9.0f %9.2f ms %9.2f ms"
                    + " %9.2f ms %9.2f ms %9.2f ms %9.2f ms%n", z.view(), z.endFxMedian(), z.endFxP90(), z.endFxMax(),
                    z.restFxMedian(), z.restFxMax(), z.pulsesToFreshMedian(), z.pulsesToFreshMax(), z.pulseMedian(),
                    z.pulseP90(), z.pulseMax(), z.cpuPerPulse(), z.endFxCpuMedian(), z.endFxCpuMax());
        }
        long heap = usedHeapAfterGc();
        out.printf(Locale.ROOT, "heap in use after GC while a view was shown, after its pulses (the most of the views"
                + " above; JavaFX included): %.1f MB%n", shownHeap / (1024.0 * 1024.0));
        out.printf(Locale.ROOT, "heap in use after GC, scene built and drawn (JavaFX included): %.1f MB%n",
                heap / (1024.0 * 1024.0));
        out.flush();
        // keep the scene reachable until the heap was measured
        if (scene.graph().nodeCount() < 0) {
            out.println(scene);
        }
    }

    private static Row measure(String name, SceneModel scene, Viewport viewport, int frames, int width, int height) {
        return measure(name, scene, viewport, frames, width, height, 0, true);
    }

    private static Row measure(String name, SceneModel scene, Viewport viewport, int frames, int width, int height,
                               double panPerFrame, boolean dots) {
        return measure(name, scene, viewport, frames, width, height, panPerFrame, dots, false);
    }

    /**
     * Measures frames of one view; {@code panPerFrame} pixels of pan between frames (0: a still view). A still
     * view without dots redraws nothing, so its frame is the cost of composing the planes and reading them
     * back. {@code rested}: every frame is drawn as if the zoom had come to rest (afresh, not scaled): the
     * frame at the end of a zoom.
     */
    private static Row measure(String name, SceneModel scene, Viewport viewport, int frames, int width, int height,
                               double panPerFrame, boolean dots, boolean rested) {
        return FxPlatform.call(() -> {
            Canvas canvas = new Canvas(width, height);
            TopologyCanvasRenderer renderer = new TopologyCanvasRenderer(canvas);
            ViewOptions options = ViewOptions.DEFAULT.withTrafficDots(dots);
            int warmUp = Math.max(5, frames / 2);
            double[] draw = new double[frames];
            double[] frame = new double[frames];
            double[] cpu = new double[frames];
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            javafx.scene.image.WritableImage target = new javafx.scene.image.WritableImage(width, height);
            for (int i = -warmUp; i < frames; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                Viewport vp = frameViewport(viewport, panPerFrame, i, width, height);
                if (rested) {
                    renderer.drawer().settle();
                }
                renderer.render(scene, ViewState.NONE, options, vp, i / 60.0);
                long t1 = System.nanoTime();
                renderer.snapshot(target);
                long t2 = System.nanoTime();
                long c1 = os.getProcessCpuTime();
                if (i >= 0) {
                    cpu[i] = (c1 - c0) / 1e6;
                    draw[i] = (t1 - t0) / 1e6;
                    frame[i] = (t2 - t0) / 1e6;
                }
            }
            Arrays.sort(draw);
            Arrays.sort(frame);
            Arrays.sort(cpu);
            return new Row(name, frames, draw[frames / 2], draw[p99(frames)], frame[frames / 2], frame[p99(frames)],
                    cpu[frames / 2], frame[p90(frames)], frame[frames - 1], 0, 0, 0, 0);
        });
    }

    /**
     * Shows the stacked canvases on a stage and draws a frame on every pulse (an {@link AnimationTimer}), as
     * the topology view does: the interval between pulses is the honest frame time, JavaFX's own rendering
     * of the scene included (a pulse waits for the rendering of the one before). The CPU column is the
     * process CPU time over all measured pulses, divided by their number.
     */
    private static Row pulses(String name, SceneModel scene, Viewport viewport, int frames, int width, int height,
                              double panPerFrame) {
        int warmUp = Math.max(5, frames / 2);
        double[] interval = new double[frames];
        double[] fx = new double[frames];
        double[] fxCpu = new double[frames];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[2];
        CountDownLatch done = new CountDownLatch(1);
        // as the topology view: the still picture's raster drawn on a thread of its own
        BackgroundThread still = new BackgroundThread("bench-render-still");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Stage stage = FxPlatform.call(() -> {
            Canvas canvas = new Canvas(width, height);
            TopologyCanvasRenderer renderer = new TopologyCanvasRenderer(canvas, still);
            Stage s = new Stage();
            s.setScene(new Scene(new Group(renderer.view()), width, height));
            AnimationTimer timer = new AnimationTimer() {
                private int i = -warmUp;
                private long last;

                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    if (i == 0) {
                        cpu[0] = os.getProcessCpuTime();
                    }
                    if (i > 0) {
                        interval[i - 1] = (t - last) / 1e6;
                    }
                    if (i == frames) {
                        cpu[1] = os.getProcessCpuTime();
                        stop();
                        done.countDown();
                        return;
                    }
                    last = t;
                    long c = threads.getCurrentThreadCpuTime();
                    renderer.render(scene, ViewState.NONE, ViewOptions.DEFAULT,
                            frameViewport(viewport, panPerFrame, i, width, height), t / 1e9);
                    if (i >= 0) {
                        fx[i] = (System.nanoTime() - t) / 1e6;
                        fxCpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
                    }
                    i++;
                }
            };
            s.show();
            timer.start();
            return s;
        });
        awaitThenClose("pulses of '" + name + "'", done, stage, still);
        Arrays.sort(interval);
        Arrays.sort(fx);
        return new Row(name, frames, 0, 0, interval[frames / 2], interval[p99(frames)],
                (cpu[1] - cpu[0]) / 1e6 / frames, interval[p90(frames)], interval[frames - 1], fx[frames / 2],
                fx[p90(frames)], fx[frames - 1], Arrays.stream(fxCpu).max().orElse(0));
    }

    /** How many pulses each zoom of {@link #zoomEnds} moves before it rests. */
    private static final int ZOOM_END_PULSES = 4;

    /**
     * Zooms {@code cycles} times on a shown stage (as the topology view: dots on, the animation clock the
     * pulses' time): {@link #ZOOM_END_PULSES} pulses of {@link #ZOOM_STEP} in (then out, the next time), then
     * the same viewport on every pulse until the zoom rests ({@code SceneDrawer.ZOOM_SETTLE_SECONDS}) and the
     * still picture drawn afresh is on the screen. {@code background}: its raster is drawn on a thread of its
     * own, as the topology view does; else on the JavaFX thread (as before that).
     */
    private static ZoomEnds zoomEnds(String name, SceneModel scene, Viewport start, int cycles, int width, int height,
                                     boolean background) {
        int warmUp = Math.max(3, cycles / 4);
        double[] endFx = new double[cycles];
        double[] restFx = new double[cycles];
        double[] toFresh = new double[cycles];
        double[] endCpu = new double[cycles];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> intervals = new ArrayList<>();
        long[] cpu = new long[2];
        CountDownLatch done = new CountDownLatch(1);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BackgroundThread still = new BackgroundThread("bench-render-still");
        Stage stage = FxPlatform.call(() -> {
            Canvas canvas = new Canvas(width, height);
            TopologyCanvasRenderer renderer = background ? new TopologyCanvasRenderer(canvas, still)
                    : new TopologyCanvasRenderer(canvas);
            Stage s = new Stage();
            s.setScene(new Scene(new Group(renderer.view()), width, height));
            AnimationTimer timer = new AnimationTimer() {
                private int cycle = -warmUp;
                private int steps;
                private int zoomed;
                private boolean ended;
                private int sinceEnd;
                private double mostFx;
                private long last = -1;

                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    long c = threads.getCurrentThreadCpuTime();
                    if (cycle >= 0 && last >= 0) {
                        intervals.add((t - last) / 1e6);
                    }
                    last = t;
                    boolean zooming = zoomed < ZOOM_END_PULSES;
                    if (zooming) {
                        // in on even zooms, out on odd ones: between 0.5x and 0.5 x 1.03^4
                        steps += Math.floorMod(cycle, 2) == 0 ? 1 : -1;
                        zoomed++;
                    }
                    Viewport vp = start.zoomAt(Math.pow(ZOOM_STEP, steps), width / 2.0, height / 2.0);
                    renderer.render(scene, ViewState.NONE, ViewOptions.DEFAULT, vp, t / 1e9);
                    double fx = (System.nanoTime() - t) / 1e6;
                    double fxCpu = (threads.getCurrentThreadCpuTime() - c) / 1e6;
                    if (zooming) {
                        return;
                    }
                    if (!ended && !renderer.drawer().lastFrameScaled()) {
                        ended = true;
                        sinceEnd = 0;
                        mostFx = fx;
                        if (cycle >= 0) {
                            endFx[cycle] = fx;
                            endCpu[cycle] = fxCpu;
                        }
                    } else if (ended) {
                        sinceEnd++;
                        mostFx = Math.max(mostFx, fx);
                    }
                    if (ended && !renderer.stillPending()) {
                        if (cycle >= 0) {
                            restFx[cycle] = mostFx;
                            toFresh[cycle] = sinceEnd;
                        }
                        cycle++;
                        zoomed = 0;
                        ended = false;
                        if (cycle == 0) {
                            cpu[0] = os.getProcessCpuTime();
                        }
                        if (cycle == cycles) {
                            cpu[1] = os.getProcessCpuTime();
                            stop();
                            done.countDown();
                        }
                    }
                }
            };
            s.show();
            timer.start();
            return s;
        });
        awaitThenClose("zoom ends of '" + name + "'", done, stage, still);
        Arrays.sort(endFx);
        Arrays.sort(restFx);
        Arrays.sort(toFresh);
        Arrays.sort(endCpu);
        double[] pulse = intervals.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = pulse.length;
        return new ZoomEnds(name, cycles, endFx[cycles / 2], endFx[p90(cycles)], endFx[cycles - 1],
                restFx[cycles / 2], restFx[cycles - 1], toFresh[cycles / 2], toFresh[cycles - 1], pulse[n / 2],
                pulse[p90(n)], pulse[n - 1], (cpu[1] - cpu[0]) / 1e6 / n, endCpu[cycles / 2], endCpu[cycles - 1]);
    }

    /**
     * Waits (up to 5 minutes) for the pulses shown on {@code stage} to be {@code done}, measures the heap while
     * it is still shown, then closes it and stops the thread its still pictures were drawn on.
     */
    private static void awaitThenClose(String what, CountDownLatch done, Stage stage, BackgroundThread still) {
        try {
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(what + " did not finish within 5 minutes");
            }
            shownHeap = Math.max(shownHeap, usedHeapAfterGc());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            FxPlatform.call(() -> {
                stage.close();
                return null;
            });
            still.stop();
        }
    }

    /** A {@code panPerFrame} that stands for zooming at the centre instead of panning. */
    private static final double ZOOMING = Double.NaN;

    /**
     * The viewport of frame {@code i} (negative while warming up): {@code start} panned by {@code panPerFrame}
     * pixels a frame, or for {@link #ZOOMING} zoomed at the centre by {@link #ZOOM_STEP} a frame, in for
     * {@link #ZOOM_STEPS} frames and out as many, over and over.
     */
    private static Viewport frameViewport(Viewport start, double panPerFrame, int i, int width, int height) {
        if (!Double.isNaN(panPerFrame)) {
            return start.panBy(panPerFrame * i, 0);
        }
        int phase = Math.floorMod(i, 2 * ZOOM_STEPS);
        int steps = phase <= ZOOM_STEPS ? phase : 2 * ZOOM_STEPS - phase;
        return start.zoomAt(Math.pow(ZOOM_STEP, steps), width / 2.0, height / 2.0);
    }

    private static int p90(int n) {
        return Math.min(n - 1, (int) Math.ceil(n * 0.9) - 1);
    }

    private static int p99(int n) {
        return Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1);
    }

    private static String pipeline() {
        try {
            Class<?> ge = Class.forName("com.sun.prism.GraphicsPipeline");
            Object p = ge.getMethod("getPipeline").invoke(null);
            return p == null ? "unknown" : p.getClass().getSimpleName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return System.getProperty("prism.order", "default");
        }
    }

    /** The most heap in use after GC while one of the pulse views was shown (bytes), in this run. */
    private static long shownHeap;

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
