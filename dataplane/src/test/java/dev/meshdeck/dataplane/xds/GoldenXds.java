package dev.meshdeck.dataplane.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshdeck.dataplane.xds.internal.XdsJson;
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

    static XdsResources load(String file) {
        Struct root = XdsJson.parse(text(file), Struct.newBuilder()).build();
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
                .map(item -> (T) XdsJson.parse(XdsJson.print(item), builder.get()).build())
                .toList();
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
