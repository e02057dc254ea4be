package dev.meshdeck.controller.api.grpc;

import dev.meshdeck.controller.api.ControlPlane;
import java.io.IOException;

/** The API through grpc's in-process transport, as the console talks to an embedded controller. */
class InProcessRoundTripTest extends MeshControlContract {
    private final String name = "meshdeck-test-" + System.nanoTime();

    @Override
    ApiServer serve(ControlPlane cp) throws IOException {
        return ApiServer.startInProcess(cp, name);
    }

    @Override
    RemoteControlPlane connect(ApiServer server) {
        return RemoteControlPlane.inProcess(name);
    }
}
