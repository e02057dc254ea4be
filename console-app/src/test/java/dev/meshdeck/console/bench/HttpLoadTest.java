package dev.meshdeck.console.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The benchmark's load generator against its backend, on loopback, under Netty's paranoid leak detection. */
@ExtendWith(LeakGuard.class)
class HttpLoadTest {

    @Test
    void runsOneAfterAnotherAnswerEveryRequestAndLeaveNoBufferBehind() throws Exception {
        HttpLoad.Settings settings = new HttpLoad.Settings(HttpLoad.Mode.OPEN_LOOP, 200, 2, Duration.ZERO,
                Duration.ofMillis(500), Duration.ofSeconds(5));
        try (Backend backend = Backend.start(1024, 1); HttpLoad load = new HttpLoad()) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", backend.port());
            for (int run = 0; run < 3; run++) {
                LoadResult result = load.run(target, "backend", settings);

                assertThat(result.errors()).isZero();
                assertThat(result.completed()).isPositive();
            }
        }
        // LeakGuard fails the class if Netty reports a leak: each run's request bytes must be released at its end.
    }
}
