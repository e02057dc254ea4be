package dev.meshdeck.dataplane.xds.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The trimmed {@code .proto} files stay what {@link TrimmedProtos} writes from the Envoy API in use. */
class TrimmedProtosTest {

    @Test
    void trimmedProtosMatchTheEnvoyApiDescriptors() throws IOException {
        Map<String, String> onDisk = new TreeMap<>();
        try (Stream<Path> files = Files.list(TrimmedProtos.DIR)) {
            for (Path f : files.toList()) {
                onDisk.put(f.getFileName().toString(), Files.readString(f));
            }
        }

        assertThat(onDisk)
                .as("dataplane/src/main/proto/meshdeck/xds: regenerate with TrimmedProtos.main after changing the API "
                        + "version or the message set")
                .isEqualTo(TrimmedProtos.files());
    }

    @Test
    void noSidecarSourceUsesTheFullEnvoyClasses() throws IOException {
        List<String> usingFull = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("io.envoyproxy.")) {
                    usingFull.add(f.getFileName().toString());
                }
            }
        }

        assertThat(usingFull)
                .as("sources naming io.envoyproxy classes (the sidecar reads xDS with its lite classes and prints "
                        + "/config_dump with the descriptors of config-dump.desc)")
                .isEmpty();
    }
}
