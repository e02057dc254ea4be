package dev.meshdeck.controller.api;

/**
 * The controller behind a {@link ControlPlane} cannot be reached: nothing listens at its address, the
 * connection broke, or it is shutting down. The message names the address and the reason, e.g.
 * {@code cannot reach controller at 127.0.0.1:15020: connection refused}.
 */
public final class ControllerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String address;

    public ControllerUnavailableException(String address, String reason, Throwable cause) {
        super("cannot reach controller at " + address + ": " + reason, cause);
        this.address = address;
    }

    /** The address that could not be reached. */
    public String address() {
        return address;
    }
}
