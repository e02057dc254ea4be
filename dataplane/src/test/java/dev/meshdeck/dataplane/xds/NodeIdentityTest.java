package dev.meshdeck.dataplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

    @Test
    void carriesServiceNamespaceLabelsAndPortsInNodeMetadata() {
        var node = new NodeIdentity("sidecar~127.0.0.1~reviews-v2", "reviews", null, Map.of("version", "v2"),
                "127.0.0.1", 41000, 41001, 9080, null).toNode();

        var fields = node.getMetadata().getFieldsMap();
        assertThat(node.getCluster()).isEqualTo("reviews");
        assertThat(fields.get(NodeIdentity.NAMESPACE).getStringValue()).isEqualTo("default");
        assertThat(fields.get(NodeIdentity.SERVICE).getStringValue()).isEqualTo("reviews");
        assertThat(fields.get(NodeIdentity.LABELS).getStructValue().getFieldsMap().get("version").getStringValue())
                .isEqualTo("v2");
        assertThat(fields.get(NodeIdentity.INBOUND_PORT).getNumberValue()).isEqualTo(41000);
        assertThat(fields.get(NodeIdentity.OUTBOUND_PORT).getNumberValue()).isEqualTo(41001);
        assertThat(fields.get(NodeIdentity.APP_PORT).getNumberValue()).isEqualTo(9080);
        assertThat(fields.get(NodeIdentity.SERVICE_ACCOUNT).getStringValue()).isEqualTo("reviews");
    }
}
