package dev.meshdeck.controller.api;

import java.util.Objects;

/** A file handed to {@link ControlPlane#apply}: its name (for error messages) and its text. */
public record SourceFile(String name, String text) {
    public SourceFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
