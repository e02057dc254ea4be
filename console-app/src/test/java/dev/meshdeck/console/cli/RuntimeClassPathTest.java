package dev.meshdeck.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;

class RuntimeClassPathTest {
    @Test
    void theControllersGrpcRunsOnTheSidecarsNettyWithNoShadedCopyBesideIt() {
        // grpc-netty's builder takes io.netty types: it runs on the Netty the sidecars use.
        assertThat(NettyServerBuilder.forPort(0).channelType(NioServerSocketChannel.class)).isNotNull();
        assertThatThrownBy(() -> Class.forName("io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.grpc.netty.shaded.io.netty.channel.Channel"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
