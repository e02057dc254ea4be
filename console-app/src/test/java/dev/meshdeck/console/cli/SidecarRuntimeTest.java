package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sidecar's JVM options and environment: the shipped defaults, their parser and the launcher reading them. */
class SidecarRuntimeTest {

    @Test
    void theDefaultsKeepNettysLeakDetectionOnAndSampleOneBufferIn1024() {
        SidecarRuntime defaults = SidecarRuntime.defaults();

        assertThat(defaults.jvmOptions()).contains("-Dio.netty.leakDetection.samplingInterval=1024")
                .noneMatch(option -> option.startsWith("-Dio.netty.leakDetection.level"));
    }

    @Test
    void theDefaultsKeepTheSidecarHeapSmallAndTuneMalloc() {
        SidecarRuntime defaults = SidecarRuntime.defaults();

        assertThat(defaults.jvmOptions()).contains("-XX:+UseSerialGC", "-Xms16m", "-Xmn6m", "-Xshare:off",
                "-XX:-TieredCompilation");
        assertThat(defaults.environment()).containsEntry("MALLOC_ARENA_MAX", "2")
                .containsEntry("MALLOC_MMAP_THRESHOLD_", "16384");
    }

    @Test
    void theDefaultsLeaveHeapForABurstOfConnectionsAndExitRatherThanRunOnOutOfHeap() {
        SidecarRuntime defaults = SidecarRuntime.defaults();

        assertThat(defaults.jvmOptions()).contains("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void theDefaultsLetNettyPoolTheBuffersOfLargeBodiesDespiteTheSmallHeap() {
        // Netty's allocator would take the 256 MB heap for a small machine and pool nothing over ~16 KB.
        assertThat(SidecarRuntime.defaults().jvmOptions()).contains("-Dio.netty.allocator.lowMemory=false");
    }

    @Test
    void thisJvmAcceptsEveryDefaultOption() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SidecarRuntime.defaults().jvmOptions());
        command.add("-version");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(SidecarRuntime.defaults().environment());
        Process java = builder.start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
    }

    @Test
    void theLauncherScriptReadsTheSameFileTheJarCarries() throws Exception {
        Path script = Path.of("..", "meshdeck");
        Path conf = Path.of("src/main/resources/dev/meshdeck/console/cli", SidecarRuntime.RESOURCE);

        assertThat(Files.readString(script)).contains("console-app/" + conf.toString().replace('\\', '/'));
        assertThat(SidecarRuntime.parse(Files.readAllLines(conf), conf.toString())).isEqualTo(SidecarRuntime.defaults());
    }

    @Test
    void aSidecarRunsFromTheSidecarJarBesideMeshdeckJarAndElseFromTheGivenClassPath(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path main = Files.createFile(dir.resolve("meshdeck.jar"));

        assertThat(SidecarRuntime.classPath(main.toString())).isEqualTo(main.toString());
        Path sidecar = Files.createFile(dir.resolve("meshdeck-sidecar.jar"));
        assertThat(SidecarRuntime.classPath(main.toString())).isEqualTo(sidecar.toString());
        String several = main + java.io.File.pathSeparator + dir.resolve("other.jar");
        assertThat(SidecarRuntime.classPath(several)).isEqualTo(several);
        assertThat(SidecarRuntime.classPath("target/classes")).isEqualTo("target/classes");
    }

    @Test
    void skipsCommentsAndBlankLines() {
        SidecarRuntime r = SidecarRuntime.parse(List.of("# why", "", "jvm: -Xmx32m", "  env: A_B=1 2 "), "t.conf");

        assertThat(r.jvmOptions()).containsExactly("-Xmx32m");
        assertThat(r.environment()).containsExactly(java.util.Map.entry("A_B", "1 2"));
    }

    @Test
    void namesTheLineOfAnEntryItCannotRead() {
        assertThatThrownBy(() -> SidecarRuntime.parse(List.of("jvm: -Xmx32m", "heap: 32m"), "t.conf"))
                .hasMessage("t.conf line 2: expected 'jvm: OPTION' or 'env: NAME=VALUE', got 'heap: 32m'");
        assertThatThrownBy(() -> SidecarRuntime.parse(List.of("jvm: -Xms16m -Xmx32m"), "t.conf"))
                .hasMessageContaining("t.conf line 1: '-Xms16m -Xmx32m' is not one JVM option");
        assertThatThrownBy(() -> SidecarRuntime.parse(List.of("env: 1X=2"), "t.conf"))
                .hasMessage("t.conf line 1: '1X=2' is not NAME=VALUE");
    }
}
