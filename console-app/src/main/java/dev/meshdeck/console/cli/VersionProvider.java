package dev.meshdeck.console.cli;

import picocli.CommandLine;

/** Prints the version from the jar manifest (or {@code dev} when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = MeshdeckCommand.class.getPackage().getImplementationVersion();
        return new String[] {
            "meshdeck " + (v == null ? "dev" : v),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
