package dev.meshdeck.controller.api.grpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A {@code host:port} as written on a command line: {@code 127.0.0.1:15020}, {@code localhost:15020},
 * {@code [::1]:15020}, {@code 0.0.0.0:15010}. Port 0 means "any free port" where a server binds.
 */
public record HostPort(String host, int port) {
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: empty (expected: a host name or an IP address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
    }

    /**
     * Parses {@code host:port}; an IPv6 address goes in brackets.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static HostPort parse(String text) {
        String expected = " (expected: HOST:PORT, e.g. 127.0.0.1:15020 or [::1]:15020)";
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + t + "'" + expected);
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + t + "': an IPv6 address must be in brackets" + expected);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "': port '" + t.substring(colon + 1) + "' is not a number" + expected, e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + t + "': port " + port + " (expected: 0..65535)");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + t + "'" + expected);
        }
        return new HostPort(host, port);
    }

    /** The host and port of a bound socket. */
    public static HostPort of(InetSocketAddress address) {
        return new HostPort(address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString(),
                address.getPort());
    }

    /** Whether the host is a loopback address (resolving a name if needed; an unknown name is not). */
    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A resolved socket address. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
