package dev.meshdeck.controller.api.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.api.v1.Event;
import dev.meshdeck.controller.api.MeshEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventStreamTest {

    /** The transport side of a server stream, with readiness under the test's control. */
    static final class Transport extends ServerCallStreamObserver<Event> {
        final List<Event> sent = new ArrayList<>();
        Throwable error;
        boolean completed;
        boolean ready;
        Runnable onReady = () -> { };
        Runnable onCancel = () -> { };

        void becomeReady() {
            ready = true;
            onReady.run();
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnReadyHandler(Runnable r) {
            onReady = r;
        }

        @Override
        public void setOnCancelHandler(Runnable r) {
            onCancel = r;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void onNext(Event value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }

    private static MeshEvent event(int i) {
        return new MeshEvent(Instant.ofEpochSecond(i), MeshEvent.Type.PROXY_CONNECTED, "p" + i, "");
    }

    @Test
    void holdsEventsUntilTheTransportIsReadyThenSendsThemInOrder() {
        Transport t = new Transport();
        List<EventStream> ended = new ArrayList<>();
        EventStream stream = new EventStream(t, ended::add);
        stream.accept(event(1));
        stream.accept(event(2));
        assertThat(t.sent).isEmpty();
        t.becomeReady();
        stream.accept(event(3));
        assertThat(t.sent).extracting(Event::getSubject).containsExactly("p1", "p2", "p3");
        assertThat(ended).isEmpty();
    }

    @Test
    void cutsOffAClientThatFallsTooFarBehindAndUnsubscribes() {
        Transport t = new Transport();
        List<EventStream> ended = new ArrayList<>();
        AtomicInteger unsubscribed = new AtomicInteger();
        EventStream stream = new EventStream(t, ended::add);
        stream.attach(unsubscribed::incrementAndGet);
        for (int i = 0; i <= EventStream.MAX_QUEUED; i++) {
            stream.accept(event(i));
        }
        assertThat(Status.fromThrowable(t.error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(unsubscribed).hasValue(1);
        assertThat(ended).containsExactly(stream);
        t.becomeReady();
        assertThat(t.sent).isEmpty();
    }

    @Test
    void aCancelledCallUnsubscribesOnceAndACompletedOneToo() {
        Transport t = new Transport();
        AtomicInteger unsubscribed = new AtomicInteger();
        EventStream stream = new EventStream(t, s -> { });
        assertThat(stream.attach(unsubscribed::incrementAndGet)).as("attached to an open stream").isTrue();
        t.onCancel.run();
        t.onCancel.run();
        stream.complete();
        assertThat(unsubscribed).hasValue(1);
        assertThat(t.completed).isFalse();

        Transport t2 = new Transport();
        EventStream done = new EventStream(t2, s -> { });
        done.complete();
        AtomicInteger late = new AtomicInteger();
        assertThat(done.attach(late::incrementAndGet)).as("attached to an ended stream").isFalse();
        assertThat(t2.completed).isTrue();
        assertThat(late).as("a subscription attached after the end is closed at once").hasValue(1);
    }
}
