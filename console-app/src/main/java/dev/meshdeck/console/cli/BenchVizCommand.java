package dev.meshdeck.console.cli;

import dev.meshdeck.viz.bench.LayoutBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck bench viz}: the topology view's model and layouts at 1000 and 10 000 nodes, no screen needed. */
@Command(name = "viz",
        description = "Time to lay out and update a synthetic topology of ~1000 nodes / 3000 edges and of ~10 000"
                + " nodes (layered, force, incremental, metrics update, JSON, collapse), the collapsed"
                + " 10 000-service mesh (collapse, layout, expanding one namespace), and the retained heap.",
        mixinStandardHelpOptions = true)
final class BenchVizCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--repetitions", paramLabel = "N", defaultValue = "9",
            description = "Measured runs of each step, after max(3, N/2) warm-up runs (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Override
    public Integer call() {
        if (repetitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--repetitions: " + repetitions + " (expected: >= 1)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("viz: topology model and layouts, synthetic meshes");
        LayoutBench.run(repetitions, out);
        return 0;
    }
}
