package dev.meshdeck.console.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmark starts (a sidecar JVM, an haproxy), optionally pinned to some CPUs with Linux's
 * {@code taskset} (which execs the command, so the pid is the command's). Its standard output is read line by
 * line, the tail of its standard error kept for error messages; its CPU time and resident memory come from
 * {@code /proc}. Closing it sends SIGTERM, then SIGKILL after 10 s. Children still running when this JVM exits
 * (the benchmark stopped by Ctrl-C or {@code kill}, or failing before it closed them) are stopped the same way
 * by a shutdown hook, so that no sidecar or haproxy outlives the run; a JVM killed with SIGKILL runs no hook.
 */
final class ChildProcess implements AutoCloseable {
    /** Linux's USER_HZ: /proc reports CPU times in these ticks (100 on every Linux architecture we run on). */
    private static final double TICKS_PER_SECOND = 100;
    private static final int STDERR_LINES_KEPT = 30;

    /** Children started and not closed yet, for the shutdown hook. */
    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopRunning, "bench-children-stop"));
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        pump(process.getInputStream(), lines::add);
        pump(process.getErrorStream(), line -> {
            synchronized (stderrTail) {
                if (stderrTail.size() == STDERR_LINES_KEPT) {
                    stderrTail.removeFirst();
                }
                stderrTail.addLast(line);
            }
        });
    }

    /** Starts {@code command}, pinned to {@code cpus} ({@code taskset -c} form; empty: not pinned). */
    static ChildProcess start(String name, String cpus, List<String> command) {
        return start(name, cpus, command, Map.of());
    }

    /** Starts {@code command} as {@link #start(String, String, List)} does, with {@code environment} added to ours. */
    static ChildProcess start(String name, String cpus, List<String> command, Map<String, String> environment) {
        List<String> full = new ArrayList<>();
        if (!cpus.isEmpty()) {
            full.addAll(List.of("taskset", "-c", cpus));
        }
        full.addAll(command);
        try {
            ProcessBuilder builder = new ProcessBuilder(full);
            builder.environment().putAll(environment);
            ChildProcess child = new ChildProcess(name, builder.start());
            RUNNING.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", full) + "): " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for a line of standard output that {@code wanted} accepts, and returns it. */
    String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> other = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.min(100, Math.max(0, deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
            if (line != null) {
                other.add(line);
            }
            if (!process.isAlive() && lines.isEmpty()) {
                throw new IllegalStateException(name + " ended (exit code " + process.exitValue() + ")" + output(other));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + output(other));
            }
        }
    }

    /** Waits until the process is running (for commands that print nothing when ready). */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " ended (exit code " + process.exitValue() + ")" + output(List.of()));
        }
    }

    /** User + system CPU time so far, from {@code /proc/PID/stat}. */
    Duration cpuTime() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3 of proc(5), utime 14, stime 15.
            long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
            return Duration.ofNanos((long) (ticks / TICKS_PER_SECOND * 1e9));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of " + name + " (pid " + pid() + ")", e);
        }
    }

    /** Resident memory now, from {@code VmRSS} in {@code /proc/PID/status}, in bytes. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/" + pid() + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of " + name + " (pid " + pid() + ")", e);
        }
    }

    /** SIGTERM to every child not closed yet, then SIGKILL to those still running after 5 s. */
    static void stopRunning() {
        List<ChildProcess> left = List.copyOf(RUNNING);
        left.forEach(c -> c.process.destroy());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ChildProcess c : left) {
            try {
                if (!c.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    c.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                c.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            RUNNING.remove(c);
        }
    }

    @Override
    public void close() {
        RUNNING.remove(this);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String output(List<String> stdout) {
        List<String> err;
        synchronized (stderrTail) {
            err = List.copyOf(stderrTail);
        }
        return (stdout.isEmpty() ? "" : "; it printed:\n" + String.join("\n", stdout))
                + (err.isEmpty() ? "" : "; its standard error ends with:\n" + String.join("\n", err));
    }

    private void pump(java.io.InputStream stream, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException closed) {
                // The process is gone.
            }
        }, "bench-" + name + "-output");
        t.setDaemon(true);
        t.start();
    }
}
