package dev.driftlock.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * A chunked request body (no Content-Length, so nothing to check up front) on its way to the
 * upstream, counted as it streams. The first byte past the limit stops forwarding and runs
 * {@code onExceeded} (the proxy resets the upstream request: aborted, never ended, so the
 * upstream gets no truncated body); later bytes are read and dropped. Neither Quarkus'
 * {@code max-body-size} nor Vert.x limits a body that is piped rather than read by a body handler.
 */
final class LimitedBody implements ReadStream<Buffer> {

    private final HttpServerRequest in;
    private final long maxBytes;
    private final Runnable onExceeded;
    private long received;
    private boolean exceeded;

    LimitedBody(HttpServerRequest in, long maxBytes, Runnable onExceeded) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.onExceeded = onExceeded;
    }

    /** Whether the body went past the limit (read on the request's event loop). */
    boolean exceeded() {
        return exceeded;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            in.handler(null);
            return this;
        }
        in.handler(chunk -> {
            if (exceeded) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                exceeded = true;
                onExceeded.run();
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        in.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        // past the limit the end of the client's body must not end the (reset) upstream request
        in.endHandler(handler == null ? null : v -> {
            if (!exceeded) {
                handler.handle(v);
            }
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        in.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        in.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        in.fetch(amount);
        return this;
    }
}
