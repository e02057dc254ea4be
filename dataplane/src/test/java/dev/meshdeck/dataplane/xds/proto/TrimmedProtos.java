package dev.meshdeck.dataplane.xds.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the sidecar's trimmed xDS {@code .proto} files ({@code dataplane/src/main/proto/}) from the descriptors
 * of the full Envoy classes: the messages in {@link #MESSAGES}, Envoy's package names and field numbers (so type
 * URLs and the wire stay identical) and a {@code java_package} under {@value #JAVA_PREFIX}.
 *
 * <p>Of each message it keeps the fields the sidecar's xDS code ({@value #SOURCES}) names in an accessor
 * ({@code getX}, {@code hasX}, {@code getXCount}, ...), every member of a oneof (so a {@code getXCase()} names
 * what was sent), and every field of the messages in {@link #WHOLE}. A field left out is kept by the lite
 * parser as an unknown field: nothing reads it, and {@code /config_dump} still prints it (from the bytes). A kept
 * field whose message type is not in the set has the empty type {@code meshdeck.xds.Opaque}: its presence still
 * shows (and a reader can reject it).
 *
 * <p>{@link TrimmedProtosTest} checks that the files in the tree are what this writes; to change the set, edit
 * {@link #MESSAGES} and run {@code main} with the module's test class path.
 */
public final class TrimmedProtos {
    static final String JAVA_PREFIX = "dev.meshdeck.dataplane.xds.proto.";
    static final String OPAQUE = ".meshdeck.xds.Opaque";
    /**
     * protoc writes full classes for package {@code google.protobuf} whatever the file's {@code optimize_for}, so
     * the well-known types the sidecar uses are copied under this package (their wire form has no name in it).
     */
    static final String WKT_PACKAGE = "meshdeck.wkt";
    static final Path DIR = Path.of("src/main/proto/meshdeck/xds");
    static final String SOURCES = "src/main/java/dev/meshdeck/dataplane/xds";

    /** Messages kept with all their fields: small, built by the sidecar, or about to be read (TLS). */
    static final Set<String> WHOLE = Set.of("google.rpc.Status", "envoy.config.core.v3.Node",
            "envoy.config.core.v3.TransportSocket", "envoy.config.core.v3.DataSource",
            "envoy.config.listener.v3.FilterChainMatch", "envoy.config.listener.v3.ListenerFilter",
            "envoy.service.discovery.v3.DiscoveryRequest", "envoy.service.discovery.v3.DiscoveryResponse");

    /** The messages the sidecar reads (and the TLS ones it is about to), by full name. */
    static final List<String> MESSAGES = List.of(
            "google.protobuf.Any", "google.protobuf.Duration", "google.protobuf.BoolValue",
            "google.protobuf.UInt32Value", "google.protobuf.UInt64Value", "google.protobuf.StringValue",
            "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
            "google.rpc.Status",
            "envoy.config.core.v3.Node", "envoy.config.core.v3.Address", "envoy.config.core.v3.SocketAddress",
            "envoy.config.core.v3.ConfigSource", "envoy.config.core.v3.AggregatedConfigSource",
            "envoy.config.core.v3.HeaderValueOption", "envoy.config.core.v3.HeaderValue",
            "envoy.config.core.v3.RuntimeFractionalPercent", "envoy.config.core.v3.TransportSocket",
            "envoy.config.core.v3.DataSource", "envoy.config.core.v3.TypedExtensionConfig",
            "envoy.type.v3.FractionalPercent",
            "envoy.type.matcher.v3.StringMatcher", "envoy.type.matcher.v3.RegexMatcher",
            "envoy.config.listener.v3.Listener", "envoy.config.listener.v3.FilterChain",
            "envoy.config.listener.v3.FilterChainMatch", "envoy.config.listener.v3.Filter",
            "envoy.config.listener.v3.ListenerFilter",
            "envoy.config.route.v3.RouteConfiguration", "envoy.config.route.v3.VirtualHost",
            "envoy.config.route.v3.Route", "envoy.config.route.v3.RouteMatch", "envoy.config.route.v3.RouteAction",
            "envoy.config.route.v3.RouteAction.RequestMirrorPolicy", "envoy.config.route.v3.RouteAction.HashPolicy",
            "envoy.config.route.v3.RouteAction.HashPolicy.Header", "envoy.config.route.v3.RouteAction.HashPolicy.Cookie",
            "envoy.config.route.v3.RouteAction.HashPolicy.ConnectionProperties",
            "envoy.config.route.v3.RouteAction.HashPolicy.QueryParameter",
            "envoy.config.route.v3.WeightedCluster", "envoy.config.route.v3.WeightedCluster.ClusterWeight",
            "envoy.config.route.v3.RetryPolicy", "envoy.config.route.v3.RetryPolicy.RetryBackOff",
            "envoy.config.route.v3.RetryPolicy.RetryHostPredicate", "envoy.config.route.v3.RedirectAction",
            "envoy.config.route.v3.HeaderMatcher", "envoy.config.route.v3.QueryParameterMatcher",
            "envoy.config.cluster.v3.Cluster", "envoy.config.cluster.v3.Cluster.EdsClusterConfig",
            "envoy.config.cluster.v3.Cluster.RingHashLbConfig", "envoy.config.cluster.v3.Cluster.MaglevLbConfig",
            "envoy.config.cluster.v3.Cluster.CommonLbConfig", "envoy.config.cluster.v3.Cluster.CustomClusterType",
            "envoy.config.cluster.v3.Cluster.RoundRobinLbConfig", "envoy.config.cluster.v3.Cluster.LeastRequestLbConfig",
            "envoy.config.cluster.v3.Cluster.SlowStartConfig", "envoy.config.core.v3.RuntimeDouble",
            "envoy.type.v3.Percent",
            "envoy.config.cluster.v3.CircuitBreakers", "envoy.config.cluster.v3.CircuitBreakers.Thresholds",
            "envoy.config.cluster.v3.OutlierDetection",
            "envoy.config.endpoint.v3.ClusterLoadAssignment", "envoy.config.endpoint.v3.ClusterLoadAssignment.Policy",
            "envoy.config.endpoint.v3.LocalityLbEndpoints", "envoy.config.endpoint.v3.LbEndpoint",
            "envoy.config.endpoint.v3.Endpoint",
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.UpgradeConfig",
            "envoy.extensions.filters.network.http_connection_manager.v3.Rds",
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
            "envoy.extensions.filters.http.router.v3.Router",
            "envoy.extensions.filters.http.fault.v3.HTTPFault", "envoy.extensions.filters.http.fault.v3.FaultAbort",
            "envoy.extensions.filters.common.fault.v3.FaultDelay",
            "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate",
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig",
            "envoy.config.core.v3.HttpProtocolOptions",
            "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
            "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
            "envoy.extensions.transport_sockets.tls.v3.CommonTlsContext",
            "envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext",
            "envoy.extensions.transport_sockets.tls.v3.TlsParameters",
            "envoy.extensions.transport_sockets.tls.v3.TlsCertificate",
            "envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext",
            "envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig",
            "envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher",
            "envoy.extensions.transport_sockets.tls.v3.Secret",
            "envoy.service.discovery.v3.DiscoveryRequest", "envoy.service.discovery.v3.DiscoveryResponse");

    /** Files whose descriptors (with their dependencies) hold every message above. */
    static final List<FileDescriptor> ROOTS = List.of(
            io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor().getFile(),
            io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor().getFile(),
            io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor().getFile(),
            io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                    .getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor().getFile(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.getDescriptor().getFile(),
            io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest.getDescriptor().getFile(),
            com.google.protobuf.Struct.getDescriptor().getFile());

    private final Map<String, Descriptor> messages = new LinkedHashMap<>();
    private final Map<String, EnumDescriptor> enums = new LinkedHashMap<>();
    private final Set<String> selected = new LinkedHashSet<>(MESSAGES);
    private final String sources;

    private TrimmedProtos(String sources) {
        this.sources = sources;
        Set<String> seen = new HashSet<>();
        ROOTS.forEach(f -> index(f, seen));
        for (String m : MESSAGES) {
            if (!messages.containsKey(m)) {
                throw new IllegalStateException("no message " + m + " in the Envoy API descriptors");
            }
        }
    }

    /** The trimmed files by name (relative to {@link #DIR}), each with its text. */
    static Map<String, String> files() {
        return new TrimmedProtos(sources()).render();
    }

    /** The text of every Java file of the sidecar's xDS code. */
    private static String sources() {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.walk(Path.of(SOURCES))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                sb.append(Files.readString(f)).append('\n');
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sb.toString();
    }

    /** Whether the sidecar keeps {@code f}: see the class comment. */
    private boolean kept(FieldDescriptor f) {
        Descriptor d = f.getContainingType();
        if (WHOLE.contains(d.getFullName()) || d.getFile().getPackage().startsWith("google.protobuf")
                || d.getFile().getPackage().equals("envoy.extensions.transport_sockets.tls.v3")
                || f.getRealContainingOneof() != null) {
            return true;
        }
        String camel = camelCase(f.getName());
        return java.util.regex.Pattern.compile("\\b(get|has|set|add|addAll|put|putAll)" + camel
                + "(Count|List|Map|Value|OrDefault|OrThrow|Bytes)?\\(").matcher(sources).find();
    }

    /** A field name as protoc's Java accessors spell it: {@code consecutive_5xx} is {@code Consecutive5Xx}. */
    static String camelCase(String name) {
        StringBuilder sb = new StringBuilder();
        boolean capNext = true;
        for (char c : name.toCharArray()) {
            if (Character.isLowerCase(c)) {
                sb.append(capNext ? Character.toUpperCase(c) : c);
                capNext = false;
            } else if (Character.isUpperCase(c)) {
                sb.append(c);
                capNext = false;
            } else if (Character.isDigit(c)) {
                sb.append(c);
                capNext = true;
            } else {
                capNext = true;
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : DIR;
        Files.createDirectories(dir);
        for (Map.Entry<String, String> f : files().entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
    }

    private void index(FileDescriptor f, Set<String> seen) {
        if (!seen.add(f.getName())) {
            return;
        }
        f.getMessageTypes().forEach(this::index);
        f.getEnumTypes().forEach(e -> enums.put(e.getFullName(), e));
        f.getDependencies().forEach(d -> index(d, seen));
    }

    private void index(Descriptor d) {
        messages.put(d.getFullName(), d);
        d.getNestedTypes().forEach(this::index);
        d.getEnumTypes().forEach(e -> enums.put(e.getFullName(), e));
    }

    private Map<String, String> render() {
        // Top-level enums are written in their package's file when a kept field uses them.
        Map<String, Set<String>> topEnums = new TreeMap<>();
        Map<String, Set<String>> imports = new TreeMap<>();
        Map<String, List<String>> topMessages = new TreeMap<>();
        for (String m : selected) {
            Descriptor d = messages.get(m);
            if (d.getContainingType() == null) {
                topMessages.computeIfAbsent(d.getFile().getPackage(), k -> new ArrayList<>()).add(m);
            } else if (!selected.contains(d.getContainingType().getFullName())) {
                throw new IllegalStateException(m + " is kept but its parent " + d.getContainingType().getFullName()
                        + " is not (expected: keep the parent too)");
            }
            for (FieldDescriptor f : d.getFields().stream().filter(this::kept).toList()) {
                String pkg = d.getFile().getPackage();
                if (f.getType() == FieldDescriptor.Type.ENUM) {
                    EnumDescriptor e = f.getEnumType();
                    if (e.getContainingType() == null) {
                        topEnums.computeIfAbsent(e.getFile().getPackage(), k -> new TreeSet<>()).add(e.getFullName());
                        need(imports, pkg, e.getFile().getPackage());
                    } else if (!selected.contains(e.getContainingType().getFullName())) {
                        throw new IllegalStateException(f.getFullName() + " uses " + e.getFullName()
                                + " whose message is not kept (expected: keep " + e.getContainingType().getFullName() + ")");
                    }
                }
                for (Descriptor t : types(f)) {
                    if (selected.contains(t.getFullName())) {
                        need(imports, pkg, t.getFile().getPackage());
                    } else if (!t.getOptions().getMapEntry()) {
                        need(imports, pkg, "meshdeck.xds");
                    }
                }
            }
        }
        Set<String> packages = new TreeSet<>(topMessages.keySet());
        packages.addAll(topEnums.keySet());
        Map<String, String> out = new TreeMap<>();
        out.put(fileName("meshdeck.xds"), header("meshdeck.xds", Set.of())
                + "// The type of a field the sidecar only checks for presence: its content is kept as unknown fields.\n"
                + "message Opaque {\n}\n");
        for (String pkg : packages) {
            StringBuilder sb = new StringBuilder(header(pkg, imports.getOrDefault(pkg, Set.of())));
            for (String e : topEnums.getOrDefault(pkg, Set.of())) {
                renderEnum(sb, enums.get(e), "");
            }
            for (String m : topMessages.getOrDefault(pkg, List.of())) {
                renderMessage(sb, messages.get(m), "");
            }
            out.put(fileName(pkg), sb.toString());
        }
        return out;
    }

    private static void need(Map<String, Set<String>> imports, String from, String to) {
        if (!from.equals(to)) {
            imports.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
        }
    }

    private static List<Descriptor> types(FieldDescriptor f) {
        if (f.getType() != FieldDescriptor.Type.MESSAGE) {
            return List.of();
        }
        Descriptor t = f.getMessageType();
        if (t.getOptions().getMapEntry()) {
            List<Descriptor> inner = new ArrayList<>(List.of(t));
            t.getFields().forEach(kv -> inner.addAll(types(kv)));
            return inner;
        }
        return List.of(t);
    }

    /** The name a package or type has in the trimmed files: its own, but for the well-known types. */
    static String protoName(String fullName) {
        return fullName.equals("google.protobuf") || fullName.startsWith("google.protobuf.")
                ? WKT_PACKAGE + fullName.substring("google.protobuf".length()) : fullName;
    }

    static String fileName(String pkg) {
        return pkg.replace('.', '_') + ".proto";
    }

    private static String header(String pkg, Set<String> imports) {
        StringBuilder sb = new StringBuilder();
        sb.append("// Generated by TrimmedProtos (dataplane tests) from the Envoy API's descriptors: do not edit.\n");
        sb.append("// The sidecar's subset of ").append(pkg).append(", field numbers as Envoy's, lite Java classes.\n");
        sb.append("syntax = \"proto3\";\n\n");
        sb.append("package ").append(protoName(pkg)).append(";\n\n");
        for (String i : imports) {
            sb.append("import \"meshdeck/xds/").append(fileName(i)).append("\";\n");
        }
        if (!imports.isEmpty()) {
            sb.append('\n');
        }
        sb.append("option java_package = \"").append(JAVA_PREFIX).append(pkg).append("\";\n");
        sb.append("option java_multiple_files = true;\n");
        sb.append("option java_outer_classname = \"").append(outerClass(pkg)).append("\";\n");
        sb.append("option optimize_for = LITE_RUNTIME;\n\n");
        return sb.toString();
    }

    private static String outerClass(String pkg) {
        StringBuilder sb = new StringBuilder();
        for (String part : pkg.split("[._]")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Lite").toString();
    }

    private void renderMessage(StringBuilder sb, Descriptor d, String indent) {
        sb.append(indent).append("message ").append(d.getName()).append(" {\n");
        String in = indent + "  ";
        for (EnumDescriptor e : d.getEnumTypes()) {
            renderEnum(sb, e, in);
        }
        for (Descriptor n : d.getNestedTypes()) {
            if (selected.contains(n.getFullName())) {
                renderMessage(sb, n, in);
            }
        }
        Set<OneofDescriptor> done = new HashSet<>();
        for (FieldDescriptor f : d.getFields().stream().filter(this::kept).toList()) {
            OneofDescriptor o = f.getRealContainingOneof();
            if (o == null) {
                sb.append(in).append(field(f, true)).append('\n');
            } else if (done.add(o)) {
                sb.append(in).append("oneof ").append(o.getName()).append(" {\n");
                for (FieldDescriptor of : o.getFields()) {
                    sb.append(in).append("  ").append(field(of, false)).append('\n');
                }
                sb.append(in).append("}\n");
            }
        }
        sb.append(indent).append("}\n");
        if (indent.isEmpty()) {
            sb.append('\n');
        }
    }

    private String field(FieldDescriptor f, boolean labelled) {
        String label = "";
        if (labelled && f.isRepeated() && !f.isMapField()) {
            label = "repeated ";
        } else if (labelled && f.toProto().getProto3Optional()) {
            label = "optional ";
        }
        String type;
        if (f.isMapField()) {
            Descriptor entry = f.getMessageType();
            type = "map<" + typeName(entry.findFieldByNumber(1)) + ", " + typeName(entry.findFieldByNumber(2)) + ">";
        } else {
            type = typeName(f);
        }
        return label + type + " " + f.getName() + " = " + f.getNumber() + ";";
    }

    private String typeName(FieldDescriptor f) {
        return switch (f.getType()) {
            case MESSAGE -> selected.contains(f.getMessageType().getFullName())
                    ? "." + protoName(f.getMessageType().getFullName()) : OPAQUE;
            case ENUM -> "." + protoName(f.getEnumType().getFullName());
            case GROUP -> throw new IllegalStateException(f.getFullName() + ": groups are not proto3");
            default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static void renderEnum(StringBuilder sb, EnumDescriptor e, String indent) {
        sb.append(indent).append("enum ").append(e.getName()).append(" {\n");
        Set<Integer> numbers = new HashSet<>();
        boolean alias = e.getValues().stream().anyMatch(v -> !numbers.add(v.getNumber()));
        if (alias) {
            sb.append(indent).append("  option allow_alias = true;\n");
        }
        for (EnumValueDescriptor v : e.getValues()) {
            sb.append(indent).append("  ").append(v.getName()).append(" = ").append(v.getNumber()).append(";\n");
        }
        sb.append(indent).append("}\n");
        if (indent.isEmpty()) {
            sb.append('\n');
        }
    }
}
