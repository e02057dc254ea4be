package dev.meshdeck.controller.config.load.internal;

/** A document that is not YAML (or uses YAML we do not read), with the file line the parser reports. */
public final class YamlSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    public YamlSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
