package dev.meshdeck.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {
    private final ResponseHeaders marshaller = new ResponseHeaders();

    @Test
    void readsVersionTypeAndNonceAndSkipsTheResources() {
        DiscoveryResponse whole = DiscoveryResponse.newBuilder()
                .setVersionInfo("3f9a")
                .addResources(Any.pack(RouteConfiguration.newBuilder().setName("outbound").build()))
                .setTypeUrl(Resources.V3.ROUTE_TYPE_URL)
                .setNonce("7")
                .setCanary(true)
                .build();

        DiscoveryResponse read = marshaller.parse(marshaller.stream(whole));

        assertThat(read).isEqualTo(DiscoveryResponse.newBuilder().setVersionInfo("3f9a")
                .setTypeUrl(Resources.V3.ROUTE_TYPE_URL).setNonce("7").build());
    }
}
