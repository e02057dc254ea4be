package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.SourceFiles;
import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meshdeck apply -f FILE...}: validates config files and makes them live as a new revision. */
@Command(name = "apply",
        description = "Validates mesh config files and makes them live as a new revision (all or nothing).",
        mixinStandardHelpOptions = true)
final class ApplyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ControllerClientOptions controller;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "A YAML file, a directory (its *.yaml and *.yml files), or - for standard input. Repeatable.")
    List<String> files;

    @Option(names = "--dry-run", description = "Validate and show the diff; change nothing.")
    boolean dryRun;

    @Option(names = "--replace", description = "Make the files the whole config: resources not in them are removed.")
    boolean replace;

    /** Where {@code -} reads from. */
    InputStream stdin = System.in;

    @Override
    public Integer call() {
        List<SourceFile> sources;
        try {
            sources = SourceFiles.read(files, stdin);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        ApplyResult result;
        try (RemoteControlPlane cp = controller.connect()) {
            result = cp.apply(sources, dryRun, replace);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!result.valid()) {
            result.errors().forEach(e -> err.println(e.toString()));
            err.flush();
            return 1;
        }
        if (dryRun) {
            out.println("valid");
            if (result.diff().isEmpty()) {
                out.println("no changes to revision " + result.revision());
            } else {
                out.print(result.diff());
            }
        } else if (result.applied()) {
            out.println("applied revision " + result.revision());
        } else {
            out.println("unchanged (revision " + result.revision() + ")");
        }
        out.flush();
        return 0;
    }
}
