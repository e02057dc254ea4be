package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshdeck.controller.config.Percent;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** Small builders for the proto pieces every factory needs. */
final class Protos {
    /** ADS as the config source, v3 resources: what both Envoy and grpc-xds expect from us. */
    static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();

    static final Duration ZERO = Duration.getDefaultInstance();

    private Protos() {
    }

    static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }

    /** A share in percent with four decimals kept: Istio's choice of denominator, a million. */
    static FractionalPercent fraction(Percent p) {
        return FractionalPercent.newBuilder()
                .setNumerator((int) Math.round(p.value() * 10_000))
                .setDenominator(FractionalPercent.DenominatorType.MILLION)
                .build();
    }

    static Address socket(String host, int port) {
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
                .build();
    }

    static Any any(com.google.protobuf.Message m) {
        return Any.pack(m);
    }

    /** Filter metadata {@code istio: {config: <path of the resource>}}, as Istio marks generated config. */
    static Metadata origin(String kindPath, String namespace, String name) {
        String path = "/apis/networking.istio.io/v1/namespaces/" + namespace + "/" + kindPath + "/" + name;
        return Metadata.newBuilder()
                .putFilterMetadata(XdsNames.METADATA_NAMESPACE, Struct.newBuilder()
                        .putFields("config", Value.newBuilder().setStringValue(path).build())
                        .build())
                .build();
    }
}
