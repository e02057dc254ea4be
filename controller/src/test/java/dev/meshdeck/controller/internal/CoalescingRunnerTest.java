package dev.meshdeck.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingRunnerTest {

    /** An executor that runs tasks only when the test says so. */
    private final Queue<Runnable> queued = new ArrayDeque<>();

    @Test
    void foldsRequestsMadeBeforeTheRunStartsIntoOneRun() {
        AtomicInteger runs = new AtomicInteger();
        CoalescingRunner runner = new CoalescingRunner(queued::add, runs::incrementAndGet);

        runner.request();
        runner.request();
        runner.request();
        assertThat(queued).hasSize(1);
        queued.poll().run();

        assertThat(runs).hasValue(1);
        assertThat(queued).isEmpty();
    }

    @Test
    void runsOnceMoreWhenARequestArrivesDuringARun() {
        AtomicInteger runs = new AtomicInteger();
        CoalescingRunner[] holder = new CoalescingRunner[1];
        holder[0] = new CoalescingRunner(queued::add, () -> {
            if (runs.incrementAndGet() == 1) {
                holder[0].request();
                holder[0].request();
            }
        });

        holder[0].request();
        queued.poll().run();

        assertThat(runs).hasValue(2);
        assertThat(queued).isEmpty();
    }

    @Test
    void keepsRunningAfterATaskFails() {
        AtomicInteger runs = new AtomicInteger();
        CoalescingRunner runner = new CoalescingRunner(queued::add, () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        });

        runner.request();
        queued.poll().run();
        runner.request();
        queued.poll().run();

        assertThat(runs).hasValue(2);
    }
}
