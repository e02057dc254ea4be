package dev.meshdeck.controller.ca;

/**
 * A certificate request the CA refuses: the message names what is wrong and what was expected. Served as
 * gRPC {@code INVALID_ARGUMENT}.
 */
public final class CertificateRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CertificateRequestException(String message) {
        super(message);
    }

    public CertificateRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
