package dev.meshdeck.console.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The benchmark's child processes end with it, even when it is stopped before it closes them. */
class ChildProcessTest {
    /**
     * A stand-in for the benchmark: starts a long {@code sleep} as a child, prints its pid, and waits until its
     * standard input ends (the test never ends it: it sends SIGTERM).
     */
    public static void main(String[] args) throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", "", List.of("sleep", "300"));
        System.out.println("child " + child.pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Waiting.
        }
    }

    @Test
    void aChildStillRunningWhenTheBenchmarkIsKilledWithSigtermIsStoppedToo() throws Exception {
        Process bench = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildProcessTest.class.getName())
                .redirectErrorStream(true).start();
        Optional<ProcessHandle> child = Optional.empty();
        try {
            String line = new BufferedReader(new InputStreamReader(bench.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).startsWith("child ");
            child = ProcessHandle.of(Long.parseLong(line.substring("child ".length()).trim()));
            assertThat(child).hasValueSatisfying(c -> assertThat(c.isAlive()).isTrue());

            bench.destroy();

            assertThat(bench.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            bench.destroyForcibly();
            child.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void stoppingTheRunningChildrenEndsEveryOneNotClosedYet() throws Exception {
        ChildProcess a = ChildProcess.start("sleeper-a", "", List.of("sleep", "300"));
        ChildProcess b = ChildProcess.start("sleeper-b", "", List.of("sleep", "300"));

        ChildProcess.stopRunning();

        for (ChildProcess c : List.of(a, b)) {
            Optional<ProcessHandle> h = ProcessHandle.of(c.pid());
            if (h.isPresent()) {
                assertThat(h.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
            }
        }
        a.close();
        b.close();
    }
}
