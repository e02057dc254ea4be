package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HelpTest {
    @Test
    void listsEveryCommand() {
        CliFixture.Run r = CliFixture.runRaw("", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("controller", "apply", "get", "diff", "rollback", "status", "events");
    }

    @Test
    void showsTheDefaultControllerAddress() {
        String help = CliFixture.runRaw("", "status", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("--controller=ADDR").containsPattern("default: \\$MESHDECK_CONTROLLER, else \\S+:\\d+\\)");
        if (System.getenv("MESHDECK_CONTROLLER") == null) {
            assertThat(help).contains("else 127.0.0.1:15020)");
        }
    }

    @Test
    void theSidecarsHelpExitsZeroAndShowsItsOwnVersionOption() {
        for (String flag : new String[] {"--help", "-h"}) {
            CliFixture.Run r = CliFixture.runRaw("", "sidecar", flag);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Usage: meshdeck sidecar", "--version=V", "-h, --help");
        }
    }

    @Test
    void aCommandBuiltAloneShowsTheSameHelpAndErrorsAsTheWholeCommandLine() {
        String[][] runs = {{"sidecar", "--help"}, {"sidecar", "--service", "a"}, {"sidecar", "--bogus"},
            {"demo", "--help"}, {"demo", "--interval", "0s"}, {"status", "--bogus"}, {"bench", "proxy", "--help"},
            {"bench", "--bogus"}, {"controller", "--listen"}};
        for (String[] args : runs) {
            java.io.StringWriter wholeOut = new java.io.StringWriter();
            java.io.StringWriter wholeErr = new java.io.StringWriter();
            picocli.CommandLine whole = MeshdeckCommand.commandLine();
            whole.setOut(new java.io.PrintWriter(wholeOut)).setErr(new java.io.PrintWriter(wholeErr));
            java.io.StringWriter aloneOut = new java.io.StringWriter();
            java.io.StringWriter aloneErr = new java.io.StringWriter();
            picocli.CommandLine alone = MeshdeckCommand.commandLineFor(args, LatchStopSignal::new);
            alone.setOut(new java.io.PrintWriter(aloneOut)).setErr(new java.io.PrintWriter(aloneErr));

            assertThat(alone.getSubcommands()).as(String.join(" ", args)).containsOnlyKeys(args[0]);
            assertThat(alone.execute(args)).as(String.join(" ", args)).isEqualTo(whole.execute(args));
            assertThat(aloneOut.toString()).isEqualTo(wholeOut.toString());
            assertThat(aloneErr.toString()).isEqualTo(wholeErr.toString());
            assertThat(aloneOut.toString() + aloneErr.toString()).contains("Usage: meshdeck " + args[0]);
        }
    }

    @Test
    void argumentsThatNameNoCommandGetTheWholeCommandLine() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-V"}, {"help", "demo"}, {"nonsense"}}) {
            assertThat(MeshdeckCommand.commandLineFor(args, LatchStopSignal::new).getSubcommands())
                    .as(String.join(" ", args)).containsKeys("controller", "sidecar", "demo", "status", "bench", "help");
        }
    }
}
