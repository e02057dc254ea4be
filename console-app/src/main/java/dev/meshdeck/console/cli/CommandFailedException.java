package dev.meshdeck.console.cli;

/** A command could not do its job for a reason the user can act on; the message is printed, exit code 1. */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
