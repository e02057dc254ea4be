package dev.meshdeck.controller.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFileTest {
    private static final ProxyInfo REVIEWS = new ProxyInfo("reviews-v2~1", ProxyType.SIDECAR, "reviews", "bookinfo",
            Map.of("app", "reviews", "version", "v2"), "10.0.0.7", 15006, 15001, 9080, "bookinfo-reviews");
    private static final ProxyInfo CLIENT = new ProxyInfo("grpc-client", ProxyType.PROXYLESS_GRPC, "", "default",
            Map.of(), "127.0.0.1", 0, 0, 0, "");

    @TempDir
    Path dir;

    @Test
    void givesBackWhatWasSavedSortedByNodeId() throws IOException {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));

        file.save(List.of(REVIEWS, CLIENT));
        RegistryFile.Loaded loaded = file.load();

        assertThat(loaded.warning()).isEmpty();
        assertThat(loaded.proxies()).containsExactly(CLIENT, REVIEWS);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file.path());
        }
    }

    @Test
    void aMissingFileGivesNoProxiesAndNoWarning() {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));

        RegistryFile.Loaded loaded = file.load();

        assertThat(loaded.proxies()).isEmpty();
        assertThat(loaded.warning()).isEmpty();
    }

    @Test
    void aFileThatIsNotJsonGivesNoProxiesAndAWarningNamingIt() throws IOException {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));
        Files.writeString(file.path(), "{\"format\": 1, \"proxies\": [ {\"nodeId\": \"a\", ");

        RegistryFile.Loaded loaded = file.load();

        assertThat(loaded.proxies()).isEmpty();
        assertThat(loaded.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains(file.path() + " is not valid").contains("starting with an empty registry"));
    }

    @Test
    void anEntryThatIsNotAProxyMakesTheWholeFileUnusable() throws IOException {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));
        file.save(List.of(REVIEWS));
        Files.writeString(file.path(), Files.readString(file.path()).replace("15006", "70000"));

        RegistryFile.Loaded loaded = file.load();

        assertThat(loaded.proxies()).isEmpty();
        assertThat(loaded.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains(file.path().toString()).contains("inboundPort 70000 (expected: 0..65535)"));
    }

    @Test
    void aFileOfAnotherFormatIsNotRead() throws IOException {
        RegistryFile file = new RegistryFile(dir.resolve(RegistryFile.NAME));
        Files.writeString(file.path(), "{\"format\": 2, \"proxies\": []}");

        assertThat(file.load().warning()).hasValueSatisfying(w -> assertThat(w).contains("format 2 (expected: 1)"));
    }

    @Test
    void theWorkspaceKeepsItsRegistryFileInItsDirectory() throws IOException {
        try (Workspace workspace = Workspace.open(dir.resolve("ws"))) {
            assertThat(workspace.registryFile().path()).isEqualTo(workspace.directory().resolve("proxies.json"));
        }
    }
}
