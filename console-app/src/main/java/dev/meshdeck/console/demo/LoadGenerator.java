package dev.meshdeck.console.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load: requests start at a fixed rate whatever the answers do (so a slow service shows as
 * latency, not as a lower rate), with a cap on requests in flight so that a dead service cannot pile up
 * unbounded work. Latency is measured from each request's intended start.
 */
public final class LoadGenerator implements AutoCloseable {

    /**
     * What to send.
     *
     * @param target       the URI requested (through {@code client}'s proxy, e.g. {@code http://productpage/productpage})
     * @param ratePerSecond requests started per second
     * @param maxInFlight  at most this many requests outstanding; a start beyond it counts as dropped
     * @param jasonEvery   every n-th request carries {@code end-user: jason} (0: none)
     */
    public record Settings(URI target, double ratePerSecond, int maxInFlight, int jasonEvery) {
        public Settings {
            Objects.requireNonNull(target, "target");
            if (!(ratePerSecond > 0 && ratePerSecond <= 100_000)) {
                throw new IllegalArgumentException("rate: " + ratePerSecond + " (expected: 0 < rate <= 100000 per second)");
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: 1 or more)");
            }
        }
    }

    /** Counts since the last {@link #snapshot()}. */
    public record Window(long ok, long failed, long dropped, double p50Millis, double p99Millis) {
        public long total() {
            return ok + failed;
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final ScheduledExecutorService ticker;
    private final Semaphore inFlight;
    private final Recorder latency = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private long sent;

    private LoadGenerator(Settings settings, HttpClient client) {
        this.settings = settings;
        this.client = client;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshdeck-load");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sending at once. */
    public static LoadGenerator start(Settings settings, HttpClient client) {
        LoadGenerator g = new LoadGenerator(settings, client);
        long periodNanos = (long) (1e9 / settings.ratePerSecond());
        g.ticker.scheduleAtFixedRate(g::fire, 0, Math.max(periodNanos, 1000), TimeUnit.NANOSECONDS);
        return g;
    }

    private void fire() {
        long intended = System.nanoTime();
        if (!inFlight.tryAcquire()) {
            dropped.increment();
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.target()).timeout(Duration.ofSeconds(30));
        sent++;
        if (settings.jasonEvery() > 0 && sent % settings.jasonEvery() == 0) {
            request.header("end-user", "jason");
        }
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            latency.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
            if (error == null && response.statusCode() < 500) {
                ok.increment();
            } else {
                failed.increment();
            }
        });
    }

    /** The counts and latency percentiles since the previous call. */
    public synchronized Window snapshot() {
        var h = latency.getIntervalHistogram();
        return new Window(ok.sumThenReset(), failed.sumThenReset(), dropped.sumThenReset(),
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
