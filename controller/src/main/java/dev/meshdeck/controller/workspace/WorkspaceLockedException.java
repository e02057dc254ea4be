package dev.meshdeck.controller.workspace;

import java.io.IOException;
import java.nio.file.Path;

/** Another controller (in this process or another) already has the workspace open. */
public final class WorkspaceLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    WorkspaceLockedException(Path directory, String holder) {
        super("workspace " + directory + " is in use by another meshdeck controller" + holder
                + "; stop it, or choose another workspace with --workspace DIR");
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
