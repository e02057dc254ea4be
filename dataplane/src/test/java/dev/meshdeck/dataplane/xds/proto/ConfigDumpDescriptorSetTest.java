package dev.meshdeck.dataplane.xds.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The checked-in descriptor set of {@code /config_dump} stays what {@link ConfigDumpDescriptorSet} writes. */
class ConfigDumpDescriptorSetTest {

    @Test
    void checkedInDescriptorSetIsWhatTheGeneratorWritesFromTheEnvoyApi() throws IOException {
        byte[] onDisk = Files.readAllBytes(ConfigDumpDescriptorSet.FILE);
        FileDescriptorSet generated = ConfigDumpDescriptorSet.generate();
        String regenerate = ConfigDumpDescriptorSet.FILE + ": regenerate with ConfigDumpDescriptorSet.main after "
                + "changing the API version or the types";

        assertThat(FileDescriptorSet.parseFrom(onDisk).getFileList()).map(FileDescriptorProto::getName).as(regenerate)
                .containsExactlyElementsOf(generated.getFileList().stream().map(FileDescriptorProto::getName).toList());
        assertThat(onDisk).as(regenerate).isEqualTo(generated.toByteArray());
    }

    @Test
    void setHoldsTheAdminConfigDumpAndEveryFileBeforeTheFilesImportingIt() {
        FileDescriptorSet set = ConfigDumpDescriptorSet.generate();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (FileDescriptorProto f : set.getFileList()) {
            assertThat(f.getDependencyList()).as(f.getName()).allMatch(seen::contains);
            seen.add(f.getName());
        }

        assertThat(seen).contains("envoy/admin/v3/config_dump.proto", "envoy/config/listener/v3/listener.proto",
                "google/protobuf/any.proto", "google/protobuf/descriptor.proto");
    }
}
