package dev.meshdeck.dataplane.xds.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
