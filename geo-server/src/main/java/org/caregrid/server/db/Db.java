package org.caregrid.server.db;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * JDBC blocks: every database call from a handler runs on the bounded elastic scheduler, with the
 * caller's {@link DbSession} (put in the Reactor context by the security layer) bound to that
 * thread, so that row-level security sees who is asking. Without one, the call sees no scoped row.
 */
public final class Db {

    private Db() {
    }

    public static <T> Mono<T> async(Callable<T> blockingCall) {
        return Mono.deferContextual(context -> {
            DbSession session = context.getOrDefault(DbSession.CONTEXT_KEY, DbSession.NONE);
            return Mono.fromCallable(() -> session.call(blockingCall)).subscribeOn(Schedulers.boundedElastic());
        });
    }
}
