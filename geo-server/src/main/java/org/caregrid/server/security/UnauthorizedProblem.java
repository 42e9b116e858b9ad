package org.caregrid.server.security;

import java.util.Locale;

import org.caregrid.server.web.Language;
import org.caregrid.server.web.Problem;
import org.caregrid.server.web.ProblemExceptionHandler;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 401 for a bearer token that does not (or no longer) log in: a problem in the caller's language,
 * so that a script's author reads why, and the {@code WWW-Authenticate} challenge of RFC 6750.
 */
final class UnauthorizedProblem implements ServerAuthenticationEntryPoint {

    private final MessageSource messages;
    private final JsonMapper json;

    UnauthorizedProblem(MessageSource messages, JsonMapper json) {
        this.messages = messages;
        this.json = json;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        Locale locale = Language.of(exchange);
        Problem problem = new Problem("urn:caregrid:problem:unauthorized",
                messages.getMessage("problem.title.unauthorized", null, locale), 401,
                messages.getMessage("error.token.invalid", null, locale), exchange.getRequest().getPath().value(), null);
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        return ProblemExceptionHandler.write(exchange, problem, json);
    }
}
