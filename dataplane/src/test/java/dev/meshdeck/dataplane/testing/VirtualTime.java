package dev.meshdeck.dataplane.testing;

import dev.meshdeck.dataplane.lb.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Virtual time for tests: a {@link ManualClock} and a {@link Scheduler} whose tasks run, in order of their due
 * time and with the clock set to it, when the test moves time on with {@link #advance}.
 */
public final class VirtualTime implements Scheduler {
    private final ManualClock clock = new ManualClock();
    private final List<Task> tasks = new ArrayList<>();
    private long sequence;

    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {
    }

    public ManualClock clock() {
        return clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(clock.millis() + delay.toMillis(), sequence++, task, new boolean[1]);
        tasks.add(t);
        return () -> {
            synchronized (VirtualTime.this) {
                t.cancelled()[0] = true;
                tasks.remove(t);
            }
        };
    }

    /** Tasks waiting to run. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Moves time on by {@code d}, running every task that falls due on the way, at its due time. */
    public void advance(Duration d) {
        long target = clock.millis() + d.toMillis();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due() <= target)
                        .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq)).orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            if (next.due() > clock.millis()) {
                clock.advance(Duration.ofMillis(next.due() - clock.millis()));
            }
            if (!next.cancelled()[0]) {
                next.run().run();
            }
        }
        if (target > clock.millis()) {
            clock.advance(Duration.ofMillis(target - clock.millis()));
        }
    }
}
