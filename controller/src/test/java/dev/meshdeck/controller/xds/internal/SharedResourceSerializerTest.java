package dev.meshdeck.controller.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;

class SharedResourceSerializerTest {
    private final SharedResourceSerializer serializer = new SharedResourceSerializer();

    @Test
    void packsAResourceAsAnyPackDoes() {
        Cluster cluster = Cluster.newBuilder().setName("outbound|80||reviews.default.svc.cluster.local").build();

        Any packed = serializer.serialize(cluster, Resources.ApiVersion.V3);

        assertThat(packed).isEqualTo(Any.pack(cluster));
        assertThat(packed.getTypeUrl()).isEqualTo(Resources.V3.CLUSTER_TYPE_URL);
    }

    @Test
    void packsOneResourceInstanceOnceForEveryResponse() {
        Cluster cluster = Cluster.newBuilder().setName("outbound|80||reviews.default.svc.cluster.local").build();

        assertThat(serializer.serialize(cluster, Resources.ApiVersion.V3))
                .isSameAs(serializer.serialize(cluster, Resources.ApiVersion.V3));
    }

    @Test
    void tellsResourcesApartByIdentitySoThatEachIsPackedAsItIs() {
        Cluster a = Cluster.newBuilder().setName("a").build();
        Cluster b = Cluster.newBuilder().setName("b").build();

        assertThat(serializer.serialize(a, Resources.ApiVersion.V3).getValue())
                .isEqualTo(a.toByteString()).isNotEqualTo(serializer.serialize(b, Resources.ApiVersion.V3).getValue());
    }
}
