package org.caregrid.server.db;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** JDBC blocks: every database call from a handler runs on the bounded elastic scheduler. */
public final class Db {

    private Db() {
    }

    public static <T> Mono<T> async(Callable<T> blockingCall) {
        return Mono.fromCallable(blockingCall).subscribeOn(Schedulers.boundedElastic());
    }
}
