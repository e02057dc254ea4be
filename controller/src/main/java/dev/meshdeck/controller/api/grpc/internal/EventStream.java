package dev.meshdeck.controller.api.grpc.internal;

import dev.meshdeck.api.v1.Event;
import dev.meshdeck.controller.api.MeshEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's {@code WatchEvents} stream. Events arrive on the controller's threads and leave when the
 * transport is ready for them (flow control); a client that falls {@link #MAX_QUEUED} events behind is
 * cut off with RESOURCE_EXHAUSTED rather than growing the controller's heap without bound.
 */
public final class EventStream implements Consumer<MeshEvent> {
    public static final int MAX_QUEUED = 1024;
    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());

    private final ServerCallStreamObserver<Event> out;
    private final Consumer<EventStream> onEnd;
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private AutoCloseable subscription;
    private boolean ended;

    /**
     * Takes over {@code out}; call from the service method, before it returns.
     *
     * @param onEnd run once when the stream ends, however it ends
     */
    public EventStream(ServerCallStreamObserver<Event> out, Consumer<EventStream> onEnd) {
        this.out = out;
        this.onEnd = onEnd;
        out.setOnReadyHandler(this::drain);
        out.setOnCancelHandler(() -> end(null));
    }

    /**
     * Keeps the subscription to close when the stream ends; closes it at once if the stream has ended.
     *
     * @return whether the stream was still open
     */
    public boolean attach(AutoCloseable subscription) {
        boolean alreadyEnded;
        synchronized (this) {
            this.subscription = subscription;
            alreadyEnded = ended;
        }
        if (alreadyEnded) {
            closeQuietly(subscription);
        }
        return !alreadyEnded;
    }

    @Override
    public void accept(MeshEvent event) {
        Event proto = Protos.toProto(event);
        boolean overflow;
        synchronized (this) {
            if (ended) {
                return;
            }
            overflow = queue.size() >= MAX_QUEUED;
            if (!overflow) {
                queue.add(proto);
            }
        }
        if (overflow) {
            end(Status.RESOURCE_EXHAUSTED.withDescription("event stream: client fell " + MAX_QUEUED
                    + " events behind; reconnect to resume"));
        } else {
            drain();
        }
    }

    /** Completes the stream normally (the server is shutting down). */
    public void complete() {
        end(Status.OK);
    }

    private synchronized void drain() {
        while (!ended && out.isReady() && !queue.isEmpty()) {
            out.onNext(queue.poll());
        }
    }

    /** Ends the stream: {@code status} null for a cancelled call (nothing to send), OK to complete. */
    private void end(Status status) {
        AutoCloseable sub;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            queue.clear();
            sub = subscription;
            if (status != null && !out.isCancelled()) {
                try {
                    if (status.isOk()) {
                        out.onCompleted();
                    } else {
                        out.onError(status.asRuntimeException());
                    }
                } catch (IllegalStateException e) {
                    LOG.log(Level.FINE, "event stream already closed", e);
                }
            }
        }
        if (sub != null) {
            closeQuietly(sub);
        }
        onEnd.accept(this);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing an event subscription failed", e);
        }
    }
}
