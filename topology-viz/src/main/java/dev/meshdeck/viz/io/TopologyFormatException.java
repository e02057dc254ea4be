package dev.meshdeck.viz.io;

/**
 * A topology or layout JSON that cannot be read, with where: the JSON path of the bad value
 * ({@code $.edges[3].successRate}) or the line and column of a syntax error.
 */
public final class TopologyFormatException extends RuntimeException {

    private final String where;

    public TopologyFormatException(String where, String message) {
        super(where + ": " + message);
        this.where = where;
    }

    public TopologyFormatException(String where, String message, Throwable cause) {
        super(where + ": " + message, cause);
        this.where = where;
    }

    /** The JSON path ({@code $.nodes[2].kind}) or {@code line L, column C}. */
    public String where() {
        return where;
    }
}
