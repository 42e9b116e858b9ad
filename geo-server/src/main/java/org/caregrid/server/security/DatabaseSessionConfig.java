package org.caregrid.server.security;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sessions in the database ({@link DatabaseSessions}), idle ones ending after {@code server.reactive.session.timeout};
 * the cookie stays Boot's ({@code SESSION}, HttpOnly, SameSite=Lax). Expired rows are deleted every
 * {@code caregrid.session.cleanup-interval} by every server: a delete of what has expired is safe to run twice.
 */
@Configuration(proxyBeanMethods = false)
@EnableSpringWebSession
class DatabaseSessionConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSessionConfig.class);

    private Disposable cleanup;

    @Bean
    DatabaseSessions databaseSessions(JdbcClient jdbc, UserDetailsRepository users, JsonMapper json,
                                      @Value("${server.reactive.session.timeout:30m}") Duration timeout) {
        return new DatabaseSessions(jdbc, users, json, timeout);
    }

    @EventListener(ApplicationReadyEvent.class)
    void startCleanup(ApplicationReadyEvent ready) {
        DatabaseSessions sessions = ready.getApplicationContext().getBean(DatabaseSessions.class);
        Duration every = ready.getApplicationContext().getEnvironment()
                .getProperty("caregrid.session.cleanup-interval", Duration.class, Duration.ofMinutes(10));
        cleanup = Flux.interval(every, every, Schedulers.boundedElastic())
                .concatMap(tick -> Mono.fromCallable(sessions::deleteExpired)
                        .doOnNext(n -> log.debug("Deleted {} expired sessions", n))
                        // a lost database must not end the cleanup for good: the next round tries again
                        .onErrorResume(e -> {
                            log.warn("Could not delete expired sessions: {}", e.getMessage());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @EventListener(ContextClosedEvent.class)
    void stopCleanup() {
        if (cleanup != null) {
            cleanup.dispose();
        }
    }
}
