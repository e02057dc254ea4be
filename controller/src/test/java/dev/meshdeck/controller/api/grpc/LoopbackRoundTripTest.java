package dev.meshdeck.controller.api.grpc;

import dev.meshdeck.controller.api.ControlPlane;
import java.io.IOException;

/** The API through a real TCP socket on loopback, as the command line talks to a controller. */
class LoopbackRoundTripTest extends MeshControlContract {
    @Override
    ApiServer serve(ControlPlane cp) throws IOException {
        return ApiServer.start(cp, new HostPort("127.0.0.1", 0), false);
    }

    @Override
    RemoteControlPlane connect(ApiServer server) {
        return RemoteControlPlane.connect(HostPort.parse(server.address()));
    }
}
