package org.caregrid.server.web;

import java.nio.charset.StandardCharsets;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Failures that never reach a handler (no such path, a media type or method the path does not serve,
 * the access policy's refusal in its filter) get the same problem body as those that do. Pages keep
 * Spring Boot's own error page.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private final Problems problems;
    private final JsonMapper json;

    ProblemExceptionHandler(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        String path = exchange.getRequest().getPath().value();
        if (!(path.startsWith("/api/") || path.startsWith("/ogc") || path.startsWith("/v3/"))
                || exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        return write(exchange, problems.of(failure, exchange), json);
    }

    /** Writes {@code problem} as the whole answer; for filters that answer before any handler runs. */
    public static Mono<Void> write(ServerWebExchange exchange, Problem problem, JsonMapper json) {
        byte[] body = json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        exchange.getResponse().setStatusCode(HttpStatus.valueOf(problem.status()));
        exchange.getResponse().getHeaders().set(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        DataBuffer buffer = exchange.getResponse().bufferFactory().wrap(body);
        return exchange.getResponse().writeWith(Mono.just(buffer));
    }
}
