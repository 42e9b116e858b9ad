package org.caregrid.server.db;

import java.io.OutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.function.ThrowingConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * JDBC blocks: every database call from a handler runs on the bounded elastic scheduler, with the
 * caller's {@link DbSession} (put in the Reactor context by the security layer) bound to that
 * thread, so that row-level security sees who is asking. Without one, the call sees no scoped row.
 */
public final class Db {

    /** The bytes a streamed body hands on at a time. */
    private static final int CHUNK = 32 * 1024;

    private static final Executor BLOCKING = task -> Schedulers.boundedElastic().schedule(task);

    private Db() {
    }

    public static <T> Mono<T> async(Callable<T> blockingCall) {
        return Mono.deferContextual(context -> {
            DbSession session = context.getOrDefault(DbSession.CONTEXT_KEY, DbSession.NONE);
            return Mono.fromCallable(() -> session.call(blockingCall)).subscribeOn(Schedulers.boundedElastic());
        });
    }

    /**
     * A response body that blocking code writes while it is sent (a whole list read through {@link Cursors}):
     * {@code writer} runs on the bounded elastic scheduler with the caller's session bound, and its writes wait
     * while the client has not taken what came before, so memory holds a few chunks, not the body. A client that
     * goes away makes the next write throw, which ends the writer and its transaction.
     */
    public static Flux<DataBuffer> streamed(ThrowingConsumer<OutputStream> writer) {
        return Flux.deferContextual(context -> {
            DbSession session = context.getOrDefault(DbSession.CONTEXT_KEY, DbSession.NONE);
            return DataBufferUtils.outputStreamPublisher(out -> session.run(() -> writer.accept(out)),
                    DefaultDataBufferFactory.sharedInstance, BLOCKING, CHUNK);
        });
    }
}
