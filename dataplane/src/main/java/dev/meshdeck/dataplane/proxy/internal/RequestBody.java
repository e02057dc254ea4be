package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request body on its way upstream, chunk by chunk, with backpressure: the next chunk is read from the
 * client only after the previous ones were written to the upstream. While the body is small (up to the
 * retry buffer size) every chunk is kept so a retry can send it again; past that, chunks are let go as
 * soon as they are written and the request can no longer be retried.
 */
final class RequestBody {

    /** Where chunks go: the current try's upstream connection. */
    interface Sink {
        ChannelFuture write(HttpContent chunk);

        void flush();
    }

    private static final long DISCARD_LIMIT = 1024 * 1024;

    private final Exchange exchange;
    private final int replayLimit;
    private final boolean none;
    private final List<HttpContent> chunks = new ArrayList<>();
    private int sent;
    private long bytes;
    private boolean ended;
    private boolean replayable = true;
    private boolean discarding;
    private Sink sink;

    /** @param none whether the request is known, from its head, to have no body (its end is still to come) */
    RequestBody(Exchange exchange, int replayLimit, boolean none) {
        this.exchange = exchange;
        this.replayLimit = replayLimit;
        this.none = none;
    }

    /**
     * Whether the request has no body, known from its head (an HTTP/1.x request without {@code Content-Length} or
     * {@code Transfer-Encoding}, an HTTP/2 request whose HEADERS ended the stream) before its end has been read.
     */
    boolean none() {
        return none;
    }

    boolean ended() {
        return ended;
    }

    /** Whether the whole body has arrived and it is empty. */
    boolean endedEmpty() {
        return ended && bytes == 0;
    }

    /** Whether a new try could send the whole body again. */
    boolean replayable() {
        return replayable;
    }

    /** A chunk from the client. */
    void onContent(HttpContent chunk) {
        boolean last = chunk instanceof LastHttpContent;
        if (discarding) {
            bytes += chunk.content().readableBytes();
            chunk.release();
            if (last) {
                ended = true;
                exchange.requestEnded();
            } else if (bytes > DISCARD_LIMIT) {
                exchange.closeConnection();
            } else {
                exchange.readMore();
            }
            return;
        }
        bytes += chunk.content().readableBytes();
        chunks.add(chunk);
        if (replayable && bytes > replayLimit) {
            dropReplay();
        }
        if (last) {
            ended = true;
        }
        pump();
        if (last) {
            exchange.requestEnded();
        }
    }

    /** Retained copies of the whole body (for a mirror); empty unless the body {@link #ended()} and is {@link #replayable()}. */
    Optional<List<HttpContent>> copyAll() {
        if (!ended || !replayable || discarding) {
            return Optional.empty();
        }
        List<HttpContent> copy = new ArrayList<>(chunks.size());
        chunks.forEach(c -> copy.add(c.retainedDuplicate()));
        return Optional.of(copy);
    }

    /** A try's connection is ready: send it the body from the start. */
    void attach(Sink s) {
        this.sink = s;
        this.sent = 0;
        pump();
    }

    void detach() {
        this.sink = null;
    }

    /** The answer came before the whole body: read and drop the rest so the connection can serve the next request. */
    void discardRest() {
        sink = null;
        releaseAll();
        if (!ended) {
            discarding = true;
            bytes = 0;
            exchange.readMore();
        }
    }

    private void pump() {
        Sink s = sink;
        if (s == null) {
            return;
        }
        ChannelFuture last = null;
        while (sent < chunks.size()) {
            HttpContent c = chunks.get(sent);
            if (replayable) {
                last = s.write(c.retainedDuplicate());
                sent++;
            } else {
                chunks.remove(sent);
                last = s.write(c);
            }
        }
        if (last == null) {
            if (!ended) {
                exchange.readMore();
            }
            return;
        }
        s.flush();
        if (!ended) {
            last.addListener(f -> {
                if (f.isSuccess() && sink == s) {
                    exchange.readMore();
                }
            });
        }
    }

    private void dropReplay() {
        replayable = false;
        for (int i = 0; i < sent; i++) {
            chunks.get(i).release();
        }
        chunks.subList(0, sent).clear();
        sent = 0;
    }

    void releaseAll() {
        chunks.forEach(HttpContent::release);
        chunks.clear();
        sent = 0;
    }
}
