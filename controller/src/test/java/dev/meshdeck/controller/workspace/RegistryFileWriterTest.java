package dev.meshdeck.controller.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.testing.VirtualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFileWriterTest {
    private static final Duration DELAY = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final VirtualScheduler scheduler = new VirtualScheduler();

    private static ProxyInfo proxy(String id) {
        return new ProxyInfo(id, ProxyType.SIDECAR, "reviews", "default", Map.of(), "127.0.0.1", 9000, 15001, 0, "");
    }

    @Test
    void coalescesABurstOfChangesIntoOneWriteOfTheLatest() throws IOException {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));
        RegistryFileWriter writer = new RegistryFileWriter(file, scheduler, DELAY, List.of());

        writer.changed(List.of(proxy("a")));
        writer.changed(List.of(proxy("a"), proxy("b")));
        scheduler.advance(Duration.ofMillis(999));
        assertThat(file.path()).doesNotExist();
        writer.changed(List.of(proxy("b")));
        scheduler.advance(Duration.ofMillis(1));

        assertThat(file.load().proxies()).containsExactly(proxy("b"));
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void doesNotRewriteWhatTheFileHoldsAlready() throws IOException {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));
        file.save(List.of(proxy("a")));
        Files.writeString(file.path(), Files.readString(file.path()) + " ");
        RegistryFileWriter writer = new RegistryFileWriter(file, scheduler, DELAY, List.of(proxy("a")));

        writer.changed(List.of(proxy("a")));
        scheduler.advance(DELAY);

        assertThat(scheduler.pending()).isZero();
        assertThat(Files.readString(file.path())).endsWith("\n ");
    }

    @Test
    void closingWritesAPendingChangeAtOnce() {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));
        RegistryFileWriter writer = new RegistryFileWriter(file, scheduler, DELAY, List.of());
        writer.changed(List.of(proxy("a")));

        writer.close();
        writer.changed(List.of());
        scheduler.advance(DELAY);

        assertThat(file.load().proxies()).containsExactly(proxy("a"));
    }

    @Test
    void aFailedWriteIsRetriedWithTheNextChange() throws IOException {
        Path missingDir = dir.resolve("not-yet");
        RegistryFile file = new RegistryFile(missingDir.resolve(RegistryFile.NAME));
        RegistryFileWriter writer = new RegistryFileWriter(file, scheduler, DELAY, List.of());
        writer.changed(List.of(proxy("a")));
        scheduler.advance(DELAY);
        assertThat(file.path()).doesNotExist();

        Files.createDirectories(missingDir);
        writer.changed(List.of(proxy("a"), proxy("b")));
        scheduler.advance(DELAY);

        assertThat(file.load().proxies()).containsExactly(proxy("a"), proxy("b"));
    }
}
