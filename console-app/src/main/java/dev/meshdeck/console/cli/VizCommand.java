package dev.meshdeck.console.cli;

import dev.meshdeck.console.viz.TopologyViewer;
import dev.meshdeck.console.viz.VizLauncher;
import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.io.TopologyDocument;
import dev.meshdeck.viz.io.TopologyFormatException;
import dev.meshdeck.viz.io.TopologyJson;
import dev.meshdeck.viz.layout.ForceLayout;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.LayoutAlgorithm;
import dev.meshdeck.viz.model.TopologyGraph;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck viz}: the topology viewer on an exported topology or a generated mesh. */
@Command(name = "viz",
        description = "Opens the topology viewer on an exported topology (--file) or on a generated mesh of N"
                + " services (--synthetic N); with --screenshot, writes the picture as a PNG file and exits.",
        mixinStandardHelpOptions = true)
final class VizCommand implements Callable<Integer> {

    enum LayoutChoice { LAYERED, FORCE }

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", required = true,
                description = "A topology JSON file (meshdeck-topology/v1), as the viewer exports it.")
        Path file;

        @Option(names = "--synthetic", paramLabel = "N", required = true,
                description = "A generated mesh of N services (about 2.4 N nodes and 5 N edges).")
        Integer synthetic;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--layout", paramLabel = "ALGORITHM", defaultValue = "layered",
            description = "layered or force (default: ${DEFAULT-VALUE}); nodes the file places keep their place.")
    LayoutChoice layout;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "The random seed of --synthetic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--collapse", paramLabel = "MODE", defaultValue = "auto",
            description = "all, none, or auto: collapse every namespace into one node and the external hosts into"
                    + " one group (the ingress gateway stays), auto when there are more than "
                    + TopologyViewer.AUTO_COLLAPSE_NODES + " nodes (default: ${DEFAULT-VALUE}).")
    String collapse;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "1400x900",
            description = "Window (or screenshot) size in pixels (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--screenshot", paramLabel = "PNG",
            description = "Render the fitted view once into this PNG file and exit (no window; headless without a display).")
    Path screenshot;

    @Override
    public Integer call() throws Exception {
        if (!collapse.matches("all|none|auto")) {
            throw usage("--collapse: '" + collapse + "' (expected: all, none or auto)");
        }
        int[] wh = parseSize(size);
        TopologyDocument doc = load();
        LayoutAlgorithm algorithm = layout == LayoutChoice.FORCE ? new ForceLayout() : new LayeredLayout();
        String title = "meshdeck viz — " + (source.file != null ? source.file.getFileName()
                : "synthetic mesh of " + source.synthetic + " services");
        VizLauncher.Request request = new VizLauncher.Request(doc.graph(), doc.layout(), algorithm,
                TopologyViewer.collapseAtStart(collapse, doc.graph()), wh[0], wh[1], title);
        if (screenshot != null) {
            try {
                VizLauncher.screenshot(request, screenshot);
            } catch (IllegalStateException e) {
                throw new CommandFailedException(e.getMessage(), e);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d nodes, %d edges, %d x %d)%n", screenshot,
                    doc.graph().nodeCount(), doc.graph().edgeCount(), wh[0], wh[1]);
            spec.commandLine().getOut().flush();
            return 0;
        }
        try {
            VizLauncher.show(request);
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        return 0;
    }

    private TopologyDocument load() {
        if (source.synthetic != null) {
            if (source.synthetic < 1 || source.synthetic > 20_000) {
                throw usage("--synthetic: " + source.synthetic + " (expected: 1..20000 services)");
            }
            TopologyGraph g = SyntheticTopology.generate(source.synthetic, seed);
            return new TopologyDocument(g, Layout.EMPTY);
        }
        try {
            return TopologyJson.read(source.file);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException("cannot read " + source.file + ": no such file");
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + source.file + ": " + e.getMessage(), e);
        } catch (TopologyFormatException e) {
            throw new CommandFailedException("invalid topology: " + e.getMessage(), e);
        }
    }

    private int[] parseSize(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].strip());
                int h = Integer.parseInt(parts[1].strip());
                if (w >= 200 && h >= 150 && w <= 10_000 && h <= 10_000) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the usage error
        }
        throw usage("--size: '" + s + "' (expected: WIDTHxHEIGHT, from 200x150 to 10000x10000)");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
