package dev.meshdeck.controller.config.load.internal;

import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of single values shared by the binders; each returns {@code null} if fine, else the message. */
public final class Checks {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?");
    private static final Pattern HEADER_NAME = Pattern.compile(":?[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** The gRPC status code names an abort may use. */
    public static final List<String> GRPC_CODES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");

    /** Envoy's {@code x-envoy-retry-on} and {@code x-envoy-retry-grpc-on} conditions, as Istio accepts them. */
    public static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
            "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");

    /** Istio's port protocols (upper case; Istio accepts any case). */
    public static final List<String> PROTOCOLS = List.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO",
            "MYSQL", "REDIS", "TCP", "TLS", "UDP");

    /** The redirect codes Envoy can send. */
    public static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);

    private Checks() {
    }

    /** A Kubernetes name: a DNS-1123 label ({@code reviews-v2}). */
    public static String dnsLabel(String s) {
        if (s.length() <= 63 && DNS_LABEL.matcher(s).matches()) {
            return null;
        }
        return "\"" + s + "\" (expected: a DNS-1123 label: at most 63 lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit)";
    }

    /** A Kubernetes resource name: a DNS-1123 subdomain ({@code reviews.v2}), at most 253 characters. */
    public static String dnsSubdomain(String s) {
        boolean ok = s.length() <= 253;
        for (String label : s.split("\\.", -1)) {
            ok &= label.length() <= 63 && DNS_LABEL.matcher(label).matches();
        }
        if (ok) {
            return null;
        }
        return "\"" + s + "\" (expected: a DNS-1123 name: lower-case letters, digits, '-' and '.',"
                + " starting and ending with a letter or digit, at most 253 characters)";
    }

    /**
     * A host as config writes it: a service name ({@code reviews}, {@code reviews.prod.svc.cluster.local}),
     * an external name, or an IP address; {@code *.} in front when {@code wildcard}.
     */
    public static String host(String s, boolean wildcard) {
        String name = s;
        if (wildcard && s.startsWith("*.")) {
            name = s.substring(2);
        }
        if (s.equals("*")) {
            return "\"*\" (expected: a host name; a bare * would take over every host of the mesh)";
        }
        if (isIp(name)) {
            return null;
        }
        boolean ok = !name.isEmpty() && name.length() <= 253;
        for (String label : name.split("\\.", -1)) {
            ok &= label.length() <= 63 && HOST_LABEL.matcher(label).matches();
        }
        if (ok) {
            return null;
        }
        return "\"" + s + "\" (expected: a host name such as reviews or reviews.prod.svc.cluster.local"
                + (wildcard ? ", optionally with *. in front" : ", without wildcards") + ")";
    }

    public static String headerName(String s) {
        return HEADER_NAME.matcher(s).matches() ? null
                : "\"" + s + "\" (expected: an HTTP header name: letters, digits and !#$%&'*+-.^_`|~)";
    }

    /** Compiles {@code regex} as RE2, the dialect Envoy and Istio use. */
    public static String re2(String regex) {
        try {
            com.google.re2j.Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return "regex \"" + regex + "\" does not compile as RE2: " + e.getMessage();
        }
    }

    /** Envoy's retry conditions, comma-separated; an HTTP status code is also allowed. */
    public static String retryOn(String s) {
        for (String part : s.split(",", -1)) {
            String p = part.strip();
            if (RETRY_ON.contains(p) || p.matches("[1-5]\\d\\d")) {
                continue;
            }
            return "\"" + p + "\" in \"" + s + "\" (expected: a comma-separated list of " + String.join(", ",
                    RETRY_ON.stream().sorted().toList()) + " or HTTP status codes)";
        }
        return null;
    }

    /** An IPv4 or IPv6 address, written literally. */
    public static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    public static boolean isIpOrCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isIp(s);
        }
        String ip = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (!bits.matches("\\d{1,3}")) {
            return false;
        }
        int n = Integer.parseInt(bits);
        return isIpv4(ip) ? n <= 32 : isIpv6(ip) && n <= 128;
    }

    private static boolean isIpv4(String s) {
        var m = IPV4.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String s) {
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = s.replace("::", ":x:").split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.equals("x")) {
                continue;
            }
            if (g.isEmpty()) {
                if ((i == 0 || i == groups.length - 1) && doubleColon >= 0) {
                    continue;
                }
                return false;
            }
            if (i == groups.length - 1 && g.contains(".")) {
                if (!isIpv4(g)) {
                    return false;
                }
                count += 2;
                continue;
            }
            if (g.length() > 4 || g.contains(".")) {
                return false;
            }
            count++;
        }
        return doubleColon >= 0 ? count < 8 : count == 8;
    }
}
