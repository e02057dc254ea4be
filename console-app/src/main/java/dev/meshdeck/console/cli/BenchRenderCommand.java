package dev.meshdeck.console.cli;

import dev.meshdeck.viz.render.RenderBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck bench render}: frame time of the topology view's canvas renderer at 1000 nodes. */
@Command(name = "render",
        description = "Frame time of the topology view's canvas renderer on a synthetic mesh of ~1000 nodes / 3000"
                + " edges (fit to view and zoomed in; software pipeline when headless), and the heap in use.",
        mixinStandardHelpOptions = true)
final class BenchRenderCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "120",
            description = "Measured frames per view, after max(5, N/2) warm-up frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "1600x1000",
            description = "Canvas size in pixels (default: ${DEFAULT-VALUE}).")
    String size;

    @Override
    public Integer call() {
        if (frames < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frames: " + frames + " (expected: >= 1)");
        }
        String[] wh = size.split("x");
        int w;
        int h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size: '" + size
                    + "' (expected: WIDTHxHEIGHT)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            RenderBench.run(frames, w, h, out);
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        return 0;
    }
}
