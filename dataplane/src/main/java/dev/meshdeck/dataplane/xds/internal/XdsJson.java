package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The Envoy message types {@code /config_dump} prints and their JSON (as protobuf's {@code JsonFormat} prints,
 * field names as in the protos). The types are built from the descriptor set {@value #RESOURCE}, the proto files
 * of Envoy's admin {@code ConfigDump} and of the xDS resources with every file they import, written from the full
 * Envoy classes by the tests' {@code ConfigDumpDescriptorSet}: no Envoy class is loaded. An instance is built for
 * one dump and dropped after it (~1.4 MB of descriptors).
 */
public final class XdsJson {
    static final String RESOURCE = "config-dump.desc";

    private final Map<String, Descriptor> types;
    private final ProtoJson printer;

    private XdsJson(Map<String, Descriptor> types) {
        this.types = types;
        this.printer = new ProtoJson(types);
    }

    /** The types of the descriptor set, built afresh. */
    public static XdsJson load() {
        FileDescriptorSet set;
        try (InputStream in = XdsJson.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + RESOURCE + " beside " + XdsJson.class.getName()
                        + " (expected: the sidecar's jar holds it)");
            }
            set = FileDescriptorSet.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        Map<String, FileDescriptor> built = new HashMap<>();
        FileDescriptor runtime = DescriptorProtos.getDescriptor();
        built.put(runtime.getName(), runtime);
        Map<String, Descriptor> types = new HashMap<>();
        runtime.getMessageTypes().forEach(d -> index(d, types));
        for (FileDescriptorProto file : set.getFileList()) {
            FileDescriptor[] dependencies = new FileDescriptor[file.getDependencyCount()];
            for (int i = 0; i < dependencies.length; i++) {
                dependencies[i] = built.get(file.getDependency(i));
                if (dependencies[i] == null) {
                    throw new IllegalStateException(RESOURCE + ": " + file.getName() + " imports "
                            + file.getDependency(i) + " (expected: a file earlier in the set)");
                }
            }
            try {
                FileDescriptor f = FileDescriptor.buildFrom(file, dependencies);
                built.put(f.getName(), f);
                f.getMessageTypes().forEach(d -> index(d, types));
            } catch (DescriptorValidationException e) {
                throw new IllegalStateException(RESOURCE + ": " + file.getName() + " does not build: "
                        + e.getMessage(), e);
            }
        }
        return new XdsJson(types);
    }

    private static void index(Descriptor d, Map<String, Descriptor> types) {
        types.putIfAbsent(d.getFullName(), d);
        d.getNestedTypes().forEach(n -> index(n, types));
    }

    /** The message type {@code fullName} ({@code envoy.config.cluster.v3.Cluster}). */
    public Descriptor type(String fullName) {
        Descriptor d = types.get(fullName);
        if (d == null) {
            throw new IllegalArgumentException("no message type " + fullName + " in " + RESOURCE);
        }
        return d;
    }

    public String print(Message m) {
        try {
            return printer.print(m);
        } catch (ProtoJson.UnknownTypeException e) {
            throw new IllegalArgumentException("cannot print " + m.getDescriptorForType().getFullName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code any} (and every {@code Any} inside it) names only types of the set. */
    public boolean printable(Message any) {
        try {
            printer.print(any);
            return true;
        } catch (ProtoJson.UnknownTypeException e) {
            return false;
        }
    }
}
