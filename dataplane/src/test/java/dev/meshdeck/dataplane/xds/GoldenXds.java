package dev.meshdeck.dataplane.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.meshdeck.dataplane.xds.proto.ConfigDumpDescriptorSet;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The controller's golden xDS files (copied as data into {@code xds-golden/}), read back into protos: the
 * wire contract between controller and sidecar, without importing controller code.
 */
final class GoldenXds {
    private GoldenXds() {
    }

    /** protobuf-java-util's parser (test scope: the sidecar itself only prints JSON, with {@code XdsJson}). */
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(registry());
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

    /** The types {@code /config_dump} resolves {@code Any}s to, as protobuf-java-util's registry. */
    static JsonFormat.TypeRegistry registry() {
        JsonFormat.TypeRegistry.Builder b = JsonFormat.TypeRegistry.newBuilder();
        ConfigDumpDescriptorSet.TYPES.forEach(b::add);
        return b.build();
    }

    static <B extends com.google.protobuf.Message.Builder> B parse(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid " + builder.getDescriptorForType().getFullName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Every resource of {@code file}, as the full classes. */
    static List<com.google.protobuf.Message> messages(String file) {
        Struct root = parse(text(file), Struct.newBuilder()).build();
        List<com.google.protobuf.Message> all = new java.util.ArrayList<>();
        all.addAll(list(root, "listeners", Listener::newBuilder));
        all.addAll(list(root, "routes", RouteConfiguration::newBuilder));
        all.addAll(list(root, "clusters", Cluster::newBuilder));
        all.addAll(list(root, "endpoints", ClusterLoadAssignment::newBuilder));
        return all;
    }

    static XdsResources load(String file) {
        Struct root = parse(text(file), Struct.newBuilder()).build();
        return Lite.state(
                list(root, "listeners", Listener::newBuilder),
                list(root, "routes", RouteConfiguration::newBuilder),
                list(root, "clusters", Cluster::newBuilder),
                list(root, "endpoints", ClusterLoadAssignment::newBuilder));
    }

    @SuppressWarnings("unchecked")
    private static <T extends com.google.protobuf.Message> List<T> list(Struct root, String key,
                                                                        Supplier<? extends com.google.protobuf.Message.Builder> builder) {
        Value v = root.getFieldsOrDefault(key, Value.getDefaultInstance());
        return v.getListValue().getValuesList().stream()
                .map(item -> (T) parse(print(item), builder.get()).build())
                .toList();
    }

    private static String print(Value item) {
        try {
            return PRINTER.print(item);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String text(String file) {
        try (InputStream in = GoldenXds.class.getResourceAsStream("/xds-golden/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file xds-golden/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
