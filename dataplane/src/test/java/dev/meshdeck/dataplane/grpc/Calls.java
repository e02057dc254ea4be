package dev.meshdeck.dataplane.grpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helpers: string messages and a listener that records what a call reports. */
final class Calls {
    private Calls() {
    }

    /** A method whose messages are UTF-8 strings. */
    static GrpcMethod<String, String> stringMethod(String fullName) {
        return new GrpcMethod<>(fullName, (m, out) -> out.write(m.getBytes(StandardCharsets.UTF_8)),
                in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Records a call's messages and its status. */
    static final class Recorder<R> implements GrpcCall.Listener<R> {
        final List<R> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<GrpcStatus> closed = new CompletableFuture<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(R message) {
            threads.add(Thread.currentThread().getName());
            messages.add(message);
        }

        @Override
        public void onClose(GrpcStatus status) {
            closed.complete(status);
        }

        GrpcStatus status() {
            return closed.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        }
    }
}
