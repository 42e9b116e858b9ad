package org.caregrid.server.security;

import java.util.Locale;

import org.caregrid.server.web.Language;
import org.caregrid.server.web.Problem;
import org.caregrid.server.web.ProblemExceptionHandler;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to a log-in while its user name or address is locked ({@link LoginThrottle}): 429 with
 * {@code Retry-After} and a problem in the caller's language, for the form, Basic and bearer log-ins alike.
 */
final class LockedProblem {

    private final MessageSource messages;
    private final JsonMapper json;

    LockedProblem(MessageSource messages, JsonMapper json) {
        this.messages = messages;
        this.json = json;
    }

    /** A failure handler that answers a lock itself and leaves every other failure to {@code otherwise}. */
    ServerAuthenticationFailureHandler orElse(ServerAuthenticationFailureHandler otherwise) {
        return (exchange, failure) -> failure instanceof LoginLocked locked
                ? write(exchange.getExchange(), locked)
                : otherwise.onAuthenticationFailure(exchange, failure);
    }

    Mono<Void> write(ServerWebExchange exchange, LoginLocked locked) {
        Locale locale = Language.of(exchange);
        long seconds = locked.retryAfterSeconds();
        Problem problem = new Problem("urn:caregrid:problem:too-many-requests",
                messages.getMessage("problem.title.too-many-requests", null, locale), 429,
                messages.getMessage("error.login.locked", new Object[] {Long.toString(seconds)}, locale),
                exchange.getRequest().getPath().value(), null);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return ProblemExceptionHandler.write(exchange, problem, json);
    }
}
