package dev.meshdeck.console.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code meshdeck bench}: the benchmark harness, one subcommand per benchmark. Alone, it lists them; a new
 * benchmark is a class of its own registered below, and the list follows.
 */
@Command(name = "bench",
        description = "Runs a benchmark and prints its figures; alone, lists the benchmarks.",
        mixinStandardHelpOptions = true,
        subcommands = {
            BenchTranslateCommand.class,
            BenchXdsCommand.class,
            BenchProxyCommand.class,
            BenchVizCommand.class,
            BenchRenderCommand.class
        })
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Benchmarks (run one with `meshdeck bench NAME`, its options with `meshdeck bench NAME --help`):");
        out.println();
        Table t = new Table("NAME", "MEASURES");
        spec.subcommands().forEach((name, sub) -> t.add(name, String.join(" ", sub.getCommandSpec().usageMessage().description())));
        t.print(out);
    }
}
