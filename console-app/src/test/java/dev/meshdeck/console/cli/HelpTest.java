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
}
