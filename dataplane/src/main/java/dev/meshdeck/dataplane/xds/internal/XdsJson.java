package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The Envoy message types {@code /config_dump} prints and their JSON (as protobuf's {@code JsonFormat} prints,
 * field names as in the protos). The types are read from the descriptor set {@value #RESOURCE}: the proto files of
 * Envoy's admin {@code ConfigDump} and of the xDS resources with every file they import, written from the full
 * Envoy classes by the tests' {@code ConfigDumpDescriptorSet}. No Envoy class and no protobuf descriptor class is
 * loaded. The types are read on the first dump and kept (~0.5 MB of heap): reading them again for every dump
 * allocated more, and a sidecar's old generation filled with it dump after dump (docs/benchmarks.md).
 */
public final class XdsJson {
    static final String RESOURCE = "config-dump.desc";

    private static volatile XdsJson loaded;

    private final ProtoSchema schema;
    private final ProtoJson printer;

    private XdsJson(ProtoSchema schema) {
        this.schema = schema;
        this.printer = new ProtoJson(schema);
    }

    /** The types of the descriptor set, read on the first call. */
    public static XdsJson load() {
        XdsJson json = loaded;
        if (json == null) {
            json = read();
            loaded = json;
        }
        return json;
    }

    private static XdsJson read() {
        try (InputStream in = XdsJson.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + RESOURCE + " beside " + XdsJson.class.getName()
                        + " (expected: the sidecar's jar holds it)");
            }
            return new XdsJson(ProtoSchema.read(ByteString.readFrom(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    public ProtoSchema schema() {
        return schema;
    }

    /** The message of type {@code type} (full name, {@code envoy.admin.v3.ConfigDump}) in {@code bytes}. */
    public String print(String type, ByteString bytes) {
        try {
            return printer.print(type, bytes);
        } catch (ProtoJson.UnknownTypeException e) {
            throw new IllegalArgumentException("cannot print " + type + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Whether {@code bytes} of {@code type} (and every {@code Any} inside) name only types of the set. */
    public boolean printable(String type, ByteString bytes) {
        return printer.printable(type, bytes);
    }

    /** The last value of string field {@code name} of a {@code type} in {@code bytes}, or null if not set. */
    public String string(String type, ByteString bytes, String name) {
        Object v = printer.field(type, bytes, name);
        return v == null ? null : ((ByteString) v).toStringUtf8();
    }
}
