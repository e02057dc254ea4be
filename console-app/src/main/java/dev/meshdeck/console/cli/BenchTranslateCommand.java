package dev.meshdeck.console.cli;

import dev.meshdeck.controller.bench.SyntheticMesh;
import dev.meshdeck.controller.bench.Timings;
import dev.meshdeck.controller.bench.TranslateBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck bench translate}: how long translating a synthetic mesh takes. */
@Command(name = "translate",
        description = "Time to translate a synthetic mesh (N services x 3 versions, a weighted split each) to xDS,"
                + " and to make every sidecar's snapshot.",
        mixinStandardHelpOptions = true)
final class BenchTranslateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--services", paramLabel = "N", defaultValue = "500",
            description = "Services in the mesh, each with 3 versions and a sidecar per version (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "20",
            description = "Measured rounds, after half as many warm-up rounds (at least 3) (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() {
        TranslateBench.Result r = TranslateBench.run(services, iterations);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("translate: %d services x %d versions, %d sidecars, %d measured rounds%n%n",
                r.services(), SyntheticMesh.VERSIONS, r.proxies(), r.iterations());
        Table t = new Table("STEP", "MEDIAN", "P99", "MAX");
        row(t, "translate()", r.translate());
        row(t, "translate() + " + r.proxies() + " snapshots", r.total());
        t.print(out);
        out.printf("%nper sidecar snapshot: %.1f us (from the medians)%n", r.perSnapshot().toNanos() / 1e3);
        out.flush();
        return 0;
    }

    private static void row(Table t, String step, Timings timings) {
        t.add(step, Timings.millis(timings.median()) + " ms", Timings.millis(timings.p99()) + " ms",
                Timings.millis(timings.max()) + " ms");
    }
}
