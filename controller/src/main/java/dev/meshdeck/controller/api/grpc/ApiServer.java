package dev.meshdeck.controller.api.grpc;

import dev.meshdeck.controller.api.ControlPlane;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves the {@code meshdeck.v1} API of a {@link ControlPlane}: over TCP for the command line and remote
 * consoles ({@link #start}), or in process for an embedded controller ({@link #startInProcess}).
 *
 * <p>The default address is {@code 127.0.0.1:15020}: next to Istio's 15010 (xDS) and 15012 (CA), a port
 * Istio leaves unused, and on loopback because the API is plaintext and unauthenticated for now — it can
 * change the whole mesh's config. Binding anything but a loopback address needs {@code allowNonLoopback}
 * (the command line's {@code --insecure-api}), so that exposing it is a decision, never an accident.
 */
public final class ApiServer implements AutoCloseable {
    public static final HostPort DEFAULT_ADDRESS = new HostPort("127.0.0.1", 15020);
    /** The largest message either side accepts: a config of several 10 MB files fits. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final Server server;
    private final MeshControlService service;
    private final String address;

    private ApiServer(Server server, MeshControlService service, String address) {
        this.server = server;
        this.service = service;
        this.address = address;
    }

    /**
     * Starts serving on {@code listen} (port 0: any free port, see {@link #address()}).
     *
     * @param allowNonLoopback whether a non-loopback address may be bound, exposing the API without TLS
     * @throws IllegalArgumentException if {@code listen} is not loopback and that is not allowed
     * @throws IOException if the address cannot be bound
     */
    public static ApiServer start(ControlPlane controlPlane, HostPort listen, boolean allowNonLoopback) throws IOException {
        Objects.requireNonNull(listen, "listen");
        if (!allowNonLoopback && !listen.isLoopback()) {
            throw new IllegalArgumentException("refusing to serve the meshdeck API on " + listen
                    + ": it is not a loopback address and the API has no TLS or authentication yet, so anyone who"
                    + " can reach it could change the mesh (expected: 127.0.0.1 or ::1, or --insecure-api to accept that)");
        }
        MeshControlService service = new MeshControlService(controlPlane);
        InetSocketAddress bindTo = listen.toSocketAddress();
        if (bindTo.isUnresolved()) {
            throw new IOException("cannot resolve API address " + listen);
        }
        Server server = NettyServerBuilder.forAddress(bindTo, InsecureServerCredentials.create())
                .addService(service)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot serve the meshdeck API on " + listen + ": " + rootMessage(e), e);
        }
        SocketAddress bound = server.getListenSockets().get(0);
        String address = bound instanceof InetSocketAddress inet ? HostPort.of(inet).toString() : bound.toString();
        return new ApiServer(server, service, address);
    }

    /** Starts serving in process under {@code name}, for {@link RemoteControlPlane#inProcess}. */
    public static ApiServer startInProcess(ControlPlane controlPlane, String name) throws IOException {
        MeshControlService service = new MeshControlService(controlPlane);
        Server server = InProcessServerBuilder.forName(name)
                .addService(service)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build()
                .start();
        return new ApiServer(server, service, "in-process:" + name);
    }

    /** Where the API is served: {@code host:port} with the port actually bound, or {@code in-process:NAME}. */
    public String address() {
        return address;
    }

    /** The port bound, for a TCP server. */
    public int port() {
        return HostPort.parse(address).port();
    }

    /** How many event streams are open. */
    public int openEventStreams() {
        return service.openEventStreams();
    }

    /** Ends event streams, stops taking calls, and waits up to 5 s for calls in flight. */
    @Override
    public void close() {
        service.completeEventStreams();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
