package dev.meshdeck.dataplane.xds.proto;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the descriptor set {@code /config_dump} prints with ({@value #FILE}): the proto files of the messages in
 * {@link #TYPES} and every file they import, dependencies first, taken from the full Envoy classes' descriptors.
 * Their {@code Any}s resolve to the message types of exactly these files (as a {@code JsonFormat.TypeRegistry} of
 * {@link #TYPES} does).
 *
 * <p>Each file keeps its messages, enums, fields and the options that shape the wire and the JSON
 * ({@code map_entry}, {@code packed}, {@code allow_alias}); custom options (validation rules, annotations), their
 * {@code extend} declarations and services are dropped. The sidecar reads the set with its own reader
 * ({@code ProtoSchema}), which needs every type name fully qualified, as protoc writes them.
 *
 * <p>{@link ConfigDumpDescriptorSetTest} checks that the file in the tree is what this writes; after changing
 * {@link #TYPES} or the Envoy API version run {@code main} with the module's test class path.
 */
public final class ConfigDumpDescriptorSet {
    static final Path FILE = Path.of("src/main/resources/dev/meshdeck/dataplane/xds/internal/config-dump.desc");

    /** The messages whose files (and the files those import) name the types an {@code Any} in a dump may hold. */
    public static final List<Descriptor> TYPES = List.of(
            io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor(),
            io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor(),
            io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor(),
            io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                    .getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
            io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor(),
            io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.ConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.ListenersConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.RoutesConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.ClustersConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.EndpointsConfigDump.getDescriptor());

    private ConfigDumpDescriptorSet() {
    }

    /** The set: each file after the files it imports. */
    static FileDescriptorSet generate() {
        Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
        TYPES.forEach(t -> add(t.getFile(), files));
        return FileDescriptorSet.newBuilder().addAllFile(files.values()).build();
    }

    private static void add(FileDescriptor f, Map<String, FileDescriptorProto> out) {
        if (out.containsKey(f.getName())) {
            return;
        }
        f.getDependencies().forEach(d -> add(d, out));
        out.put(f.getName(), trimmed(f.toProto()));
    }

    private static FileDescriptorProto trimmed(FileDescriptorProto file) {
        FileDescriptorProto.Builder b = file.toBuilder().clearOptions().clearService().clearExtension()
                .clearSourceCodeInfo();
        b.getMessageTypeBuilderList().forEach(ConfigDumpDescriptorSet::trim);
        b.getEnumTypeBuilderList().forEach(ConfigDumpDescriptorSet::trim);
        return b.build();
    }

    private static void trim(DescriptorProto.Builder m) {
        boolean mapEntry = m.getOptions().getMapEntry();
        m.clearOptions().clearExtension();
        if (mapEntry) {
            m.setOptions(DescriptorProtos.MessageOptions.newBuilder().setMapEntry(true));
        }
        for (var f : m.getFieldBuilderList()) {
            boolean packedSet = f.getOptions().hasPacked();
            boolean packed = f.getOptions().getPacked();
            f.clearOptions();
            if (packedSet) {
                f.setOptions(DescriptorProtos.FieldOptions.newBuilder().setPacked(packed));
            }
        }
        m.getOneofDeclBuilderList().forEach(o -> o.clearOptions());
        m.getNestedTypeBuilderList().forEach(ConfigDumpDescriptorSet::trim);
        m.getEnumTypeBuilderList().forEach(ConfigDumpDescriptorSet::trim);
    }

    private static void trim(EnumDescriptorProto.Builder e) {
        boolean allowAlias = e.getOptions().getAllowAlias();
        e.clearOptions();
        if (allowAlias) {
            e.setOptions(DescriptorProtos.EnumOptions.newBuilder().setAllowAlias(true));
        }
        e.getValueBuilderList().forEach(v -> v.clearOptions());
    }

    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : FILE;
        Files.createDirectories(file.getParent());
        Files.write(file, generate().toByteArray());
    }
}
