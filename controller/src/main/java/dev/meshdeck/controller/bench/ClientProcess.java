package dev.meshdeck.controller.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SimulatedFleet} in a child JVM, so that the benchmark's own JVM holds only the controller side
 * and its heap is the controller's. The child runs the current {@code java} with the current class path,
 * optionally pinned to some CPUs with Linux's {@code taskset}; it ends when this is closed (or when this JVM
 * dies, since its standard input then ends).
 */
public final class ClientProcess implements SimulatedClients {
    private static final int STDERR_LINES_KEPT = 40;

    private final Process process;
    private final String cpus;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Writer stdin;

    private ClientProcess(Process process, String cpus) {
        this.process = process;
        this.cpus = cpus;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump("stdout", new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                lines::add);
        pump("stderr", new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                line -> {
                    synchronized (stderrTail) {
                        if (stderrTail.size() == STDERR_LINES_KEPT) {
                            stderrTail.removeFirst();
                        }
                        stderrTail.addLast(line);
                    }
                });
    }

    /**
     * Starts a child JVM that connects sidecars {@code 0 .. proxies - 1} of {@code mesh} to the xDS server at
     * {@code host:port}.
     *
     * @param cpus CPUs to pin the child to, in {@code taskset -c} form ("1", "2-3"), or empty for no pinning
     * @throws UncheckedIOException if the child cannot be started (no {@code taskset}, say)
     */
    public static ClientProcess start(String host, int port, SyntheticMesh mesh, int proxies, int streamsPerConnection,
                                      String cpus, Duration timeout) {
        List<String> command = new ArrayList<>();
        if (!cpus.isEmpty()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SimulatedFleet.class.getName(),
                host, Integer.toString(port), Integer.toString(mesh.services()), Integer.toString(proxies),
                Integer.toString(streamsPerConnection), Long.toString(Math.max(1, timeout.toSeconds()))));
        try {
            return new ClientProcess(new ProcessBuilder(command).start(), cpus);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the clients' JVM (" + String.join(" ", command.subList(0,
                    cpus.isEmpty() ? 1 : 4)) + ")", e);
        }
    }

    @Override
    public Duration awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> other = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.startsWith("FAILED")) {
                String why = line == null ? "no answer within " + timeout : line;
                throw new IllegalStateException("the clients' JVM did not get in sync: " + why
                        + (other.isEmpty() ? "" : "; it printed:\n" + String.join("\n", other)) + stderrTail());
            }
            if (line.startsWith("SYNCED ")) {
                return Duration.ofNanos(Long.parseLong(line.substring("SYNCED ".length()).trim()));
            }
            // The JVM itself may print, e.g. that a flight recording started: not ours.
            other.add(line);
        }
    }

    @Override
    public String where() {
        return "child JVM (pid " + process.pid() + (cpus.isEmpty() ? "" : ", CPUs " + cpus) + ")";
    }

    /** The pid of the child JVM (of {@code taskset}, which becomes it). */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            stdin.write("QUIT\n");
            stdin.close();
        } catch (IOException alreadyGone) {
            // The child ended by itself; nothing to tell it.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String stderrTail() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; its standard error ends with:\n" + String.join("\n", stderrTail);
        }
    }

    private static void pump(String name, BufferedReader reader, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException closed) {
                // The child is gone.
            }
        }, "bench-clients-" + name);
        t.setDaemon(true);
        t.start();
    }
}
