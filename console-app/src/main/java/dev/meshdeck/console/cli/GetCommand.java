package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import dev.meshdeck.controller.config.Kind;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshdeck get vs|dr|se|we|all [NAME]}, {@code meshdeck get revisions} and
 * {@code meshdeck get revision N}.
 */
@Command(name = "get",
        description = {"Shows the live config, the revision history, or one revision.",
            "WHAT is vs, dr, se, we (or a kind name such as VirtualService), all, revisions, or revision N."},
        mixinStandardHelpOptions = true)
final class GetCommand implements Callable<Integer> {
    enum Output { TABLE, YAML }

    static final String WHAT = "vs, dr, se, we, all, revisions, revision";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ControllerClientOptions controller;

    @Parameters(index = "0", paramLabel = "WHAT", description = "One of: " + WHAT + ".")
    String what;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME|N",
            description = "A resource name (for a kind), or a revision number (for revision).")
    String arg;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
            description = "Only resources in this namespace (default: all namespaces).")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table or yaml (default: table; yaml for revision N).")
    Output output;

    @Override
    public Integer call() {
        String w = what.toLowerCase(java.util.Locale.ROOT);
        return switch (w) {
            case "revisions" -> revisions();
            case "revision" -> revision();
            case "all" -> resources(Optional.empty());
            default -> resources(Optional.of(Kind.fromCliName(w).or(() -> Kind.fromKindName(what))
                    .orElseThrow(() -> usage("unknown WHAT '" + what + "' (expected one of: " + WHAT + ")"))));
        };
    }

    private int resources(Optional<Kind> kind) {
        List<StoredDocument> docs;
        try (RemoteControlPlane cp = controller.connect()) {
            docs = cp.config(kind);
        }
        List<StoredDocument> shown = docs.stream()
                .filter(d -> namespace == null || d.key().namespace().equals(namespace))
                .filter(d -> arg == null || d.key().name().equals(arg))
                .toList();
        if (shown.isEmpty()) {
            if (arg != null) {
                throw new CommandFailedException("no " + kind.map(Kind::kindName).orElse("resource") + " named '" + arg + "'"
                        + (namespace == null ? "" : " in namespace " + namespace));
            }
            err().println("no resources found" + (namespace == null ? "" : " in namespace " + namespace));
            err().flush();
            return 0;
        }
        if (output == Output.YAML) {
            printYaml(shown);
        } else {
            Table t = new Table("KIND", "NAMESPACE", "NAME");
            shown.forEach(d -> t.add(d.key().kind().kindName(), d.key().namespace(), d.key().name()));
            t.print(out());
        }
        return 0;
    }

    private int revisions() {
        if (arg != null) {
            throw usage("get revisions takes no argument; to see one revision: meshdeck get revision " + arg);
        }
        List<RevisionInfo> revisions;
        try (RemoteControlPlane cp = controller.connect()) {
            revisions = cp.revisions();
        }
        if (revisions.isEmpty()) {
            err().println("no revisions yet: apply a config with meshdeck apply -f FILE");
            err().flush();
            return 0;
        }
        Table t = new Table("REVISION", "TIME", "RESOURCES", "SUMMARY", "SOURCE");
        DateTimeFormatter time = DateTimeFormatter.ISO_INSTANT;
        revisions.forEach(r -> t.add(r.number(), time.format(r.time().truncatedTo(ChronoUnit.SECONDS)),
                r.resources(), r.summary(), r.source()));
        t.print(out());
        return 0;
    }

    private int revision() {
        int n = revisionNumber(arg);
        List<StoredDocument> docs;
        try (RemoteControlPlane cp = controller.connect()) {
            docs = cp.revision(n);
        }
        if (output == Output.TABLE) {
            Table t = new Table("KIND", "NAMESPACE", "NAME");
            docs.forEach(d -> t.add(d.key().kind().kindName(), d.key().namespace(), d.key().name()));
            t.print(out());
        } else {
            printYaml(docs);
        }
        return 0;
    }

    private int revisionNumber(String text) {
        if (text == null) {
            throw usage("get revision needs a revision number, e.g. meshdeck get revision 3");
        }
        try {
            int n = Integer.parseInt(text);
            if (n < 0) {
                throw usage("revision " + n + " (expected: 0 or more)");
            }
            return n;
        } catch (NumberFormatException e) {
            throw usage("revision '" + text + "' (expected: a number)");
        }
    }

    /** Documents as a multi-document YAML stream that {@code meshdeck apply -f -} takes back. */
    private void printYaml(List<StoredDocument> docs) {
        PrintWriter out = out();
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                out.println("---");
            }
            String yaml = docs.get(i).yaml();
            out.print(yaml.endsWith("\n") ? yaml : yaml + "\n");
        }
        out.flush();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
