package dev.meshdeck.console.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a sidecar process runs: its JVM options and environment, read from {@code sidecar-runtime.conf} (the file
 * the {@code meshdeck} launcher script reads too, so both start sidecars the same way).
 *
 * @param jvmOptions  the JVM options, in order
 * @param environment environment variables for the sidecar process (glibc malloc tuning)
 */
public record SidecarRuntime(List<String> jvmOptions, Map<String, String> environment) {
    static final String RESOURCE = "sidecar-runtime.conf";

    public SidecarRuntime {
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
    }

    /** The defaults shipped with Meshdeck. */
    public static SidecarRuntime defaults() {
        try (InputStream in = SidecarRuntime.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the sidecar runtime defaults (" + RESOURCE + ") are missing from the jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList(), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * The class path a sidecar process runs with: {@code meshdeck-sidecar.jar} (the same classes, with only the
     * jars a sidecar needs on its manifest class path) when {@code classPath} is {@code meshdeck.jar} and the
     * sidecar jar is beside it, else {@code classPath} itself (a build tree or a test run).
     */
    public static String classPath(String classPath) {
        java.nio.file.Path only = java.nio.file.Path.of(classPath);
        if (!classPath.contains(java.io.File.pathSeparator) && only.getFileName() != null
                && only.getFileName().toString().equals("meshdeck.jar")) {
            java.nio.file.Path sidecar = only.resolveSibling("meshdeck-sidecar.jar");
            if (java.nio.file.Files.isRegularFile(sidecar)) {
                return sidecar.toString();
            }
        }
        return classPath;
    }

    /** Parses {@code jvm: OPTION} and {@code env: NAME=VALUE} lines; blank lines and {@code #} comments are skipped. */
    static SidecarRuntime parse(List<String> lines, String source) {
        Objects.requireNonNull(source, "source");
        List<String> jvm = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            if (line.startsWith("jvm:")) {
                String option = line.substring(4).strip();
                if (!option.startsWith("-") || option.contains(" ")) {
                    throw new IllegalArgumentException(where + ": '" + option + "' is not one JVM option (expected e.g. -Xmx32m)");
                }
                jvm.add(option);
            } else if (line.startsWith("env:")) {
                String assignment = line.substring(4).strip();
                int eq = assignment.indexOf('=');
                if (eq <= 0 || !assignment.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException(where + ": '" + assignment + "' is not NAME=VALUE");
                }
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            } else {
                throw new IllegalArgumentException(where + ": expected 'jvm: OPTION' or 'env: NAME=VALUE', got '" + line + "'");
            }
        }
        return new SidecarRuntime(jvm, env);
    }
}
