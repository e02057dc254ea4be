package dev.meshdeck.dataplane.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcStatusTest {

    @Test
    void aGrpcMessageKeepsPrintableAsciiAndPercentEncodesTheRestAndThePercentSign() {
        assertThat(GrpcStatus.percentEncoded("upstream connect error: cluster a|b, 100% \"down\""))
                .isEqualTo("upstream connect error: cluster a|b, 100%25 \"down\"");
        assertThat(GrpcStatus.percentEncoded("no route for host café\n")).isEqualTo("no route for host caf%C3%A9%0A");
    }

    @Test
    void httpStatusesMapToGrpcCodesAsEnvoyMapsThem() {
        assertThat(GrpcStatus.fromHttp(503)).isEqualTo(14);
        assertThat(GrpcStatus.fromHttp(504)).isEqualTo(14);
        assertThat(GrpcStatus.fromHttp(404)).isEqualTo(12);
        assertThat(GrpcStatus.fromHttp(500)).isEqualTo(2);
    }
}
