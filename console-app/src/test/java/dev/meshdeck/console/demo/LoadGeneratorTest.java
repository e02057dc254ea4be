package dev.meshdeck.console.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void countsAnsweredRequestsAndTheirLatency() throws Exception {
        try (BookinfoApp details = BookinfoApp.start(BookinfoService.DETAILS, 0, s -> URI.create("http://127.0.0.1:1"), client);
             LoadGenerator load = LoadGenerator.start(new LoadGenerator.Settings(
                     URI.create("http://127.0.0.1:" + details.port() + "/details/0"), 200, 16, 0), client)) {
            AtomicLong ok = new AtomicLong();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                LoadGenerator.Window w = load.snapshot();
                assertThat(w.failed()).isZero();
                return ok.addAndGet(w.ok()) >= 50;
            });
        }
    }

    @Test
    void countsRequestsToADeadServiceAsFailed() {
        try (LoadGenerator load = LoadGenerator.start(new LoadGenerator.Settings(
                URI.create("http://127.0.0.1:1/details/0"), 100, 4, 0), client)) {
            AtomicLong failed = new AtomicLong();
            await().atMost(Duration.ofSeconds(20)).until(() -> failed.addAndGet(load.snapshot().failed()) >= 10);
        }
    }

    @Test
    void refusesARateItCannotMean() {
        assertThatThrownBy(() -> new LoadGenerator.Settings(URI.create("http://x/"), 0, 1, 0))
                .hasMessageContaining("rate: 0.0 (expected: 0 < rate <= 100000 per second)");
    }
}
