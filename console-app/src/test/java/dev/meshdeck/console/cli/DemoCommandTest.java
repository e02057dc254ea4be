package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshdeck demo} run for a second through the command line: the real demo mesh on loopback. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aDemoWithATemporaryWorkspaceRemovesItAtExit() {
        int exit = demo("--duration", "1s", "--api-listen", "none");

        assertThat(exit).as(err.toString()).isZero();
        Path workspace = workspaceIn(out.toString());
        assertThat(workspace.getFileName().toString()).startsWith("meshdeck-demo-");
        assertThat(workspace).as("the demo's own workspace, CA key included, is gone").doesNotExist();
        assertThat(out.toString()).contains("meshdeck demo: stopping");
    }

    @Test
    void printsATableEveryIntervalAndLeavesNoSliverOfAWindowAtTheEnd() {
        int exit = demo("--duration", "8s", "--interval", "1s", "--api-listen", "none");

        assertThat(exit).as(err.toString()).isZero();
        List<Double> stamps = Pattern.compile("(?m)^\\[\\s*([\\d.]+)s\\]").matcher(out.toString()).results()
                .map(r -> Double.parseDouble(r.group(1))).toList();
        assertThat(stamps).as(out.toString()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(stamps.getLast()).isGreaterThanOrEqualTo(8.0);
        for (int i = 1; i < stamps.size(); i++) {
            assertThat(stamps.get(i) - stamps.get(i - 1)).as("window %d of %s", i, stamps).isGreaterThanOrEqualTo(0.5);
        }
    }

    @Test
    void aWorkspaceTheUserNamedStays() {
        Path named = tmp.resolve("my-workspace");

        int exit = demo("--duration", "1s", "--api-listen", "none", "--workspace", named.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(workspaceIn(out.toString())).isEqualTo(named);
        assertThat(named).isDirectory();
        assertThat(named.resolve("revisions")).isDirectory();
    }

    /** Runs {@code meshdeck demo OPTIONS} to its end, as {@code Main} does. */
    private int demo(String... options) {
        String[] args = Stream.concat(Stream.of("demo"), Arrays.stream(options)).toArray(String[]::new);
        CommandLine cl = MeshdeckCommand.commandLineFor(args, LatchStopSignal::new);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static Path workspaceIn(String output) {
        Matcher m = Pattern.compile(" workspace (\\S+), ").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Path.of(m.group(1));
    }
}
