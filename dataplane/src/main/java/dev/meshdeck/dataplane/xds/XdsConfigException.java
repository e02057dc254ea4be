package dev.meshdeck.dataplane.xds;

/**
 * An xDS resource the sidecar cannot apply. The message names the resource and the field and says what
 * was expected; it becomes the {@code error_detail} of the NACK.
 */
public final class XdsConfigException extends RuntimeException {
    public XdsConfigException(String message) {
        super(message);
    }

    /** The same problem, prefixed with where it was found ({@code "cluster reviews: "}). */
    public XdsConfigException within(String where) {
        XdsConfigException e = new XdsConfigException(where + ": " + getMessage());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
