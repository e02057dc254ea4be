package dev.meshdeck.controller.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesHostsNamesAndBracketedIpv6() {
        assertThat(HostPort.parse("127.0.0.1:15020")).isEqualTo(new HostPort("127.0.0.1", 15020));
        assertThat(HostPort.parse(" localhost:0 ")).isEqualTo(new HostPort("localhost", 0));
        assertThat(HostPort.parse("[::1]:15010")).isEqualTo(new HostPort("::1", 15010));
        assertThat(HostPort.parse("[::1]:15010")).hasToString("[::1]:15010");
    }

    @Test
    void rejectsWhatIsNotHostColonPort() {
        assertThatThrownBy(() -> HostPort.parse("15020")).hasMessage("'15020' (expected: HOST:PORT, e.g. 127.0.0.1:15020 or [::1]:15020)");
        assertThatThrownBy(() -> HostPort.parse(":15020")).hasMessageContaining("expected: HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("host:")).hasMessageContaining("expected: HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessageStartingWith("'host:http': port 'http' is not a number");
        assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessage("'host:70000': port 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> HostPort.parse("::1:80")).hasMessageContaining("must be in brackets");
    }

    @Test
    void knowsLoopbackAddresses() {
        assertThat(HostPort.parse("127.0.0.1:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("[::1]:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("localhost:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("0.0.0.0:1").isLoopback()).isFalse();
        assertThat(HostPort.parse("192.0.2.7:1").isLoopback()).isFalse();
    }
}
