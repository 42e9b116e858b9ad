package org.caregrid.server.imports;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses an upload whose declared length exceeds the limit before a byte of it is stored (the multipart parser
 * would otherwise spool it all to disk first); {@link ImportController} checks the stored size as well, for
 * uploads sent without a length.
 */
@Component
class UploadLimit implements WebFilter {

    private final ImportProperties properties;

    UploadLimit(ImportProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        long limit = properties.maxUploadSize().toBytes();
        long length = request.getHeaders().getContentLength();
        if (request.getMethod() != HttpMethod.POST || !request.getPath().value().equals("/api/imports")
                || length <= limit) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.CONTENT_TOO_LARGE);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        String body = "{\"status\":413,\"error\":\"Content Too Large\",\"detail\":\""
                + describe("The upload", length, limit) + "\"}";
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }

    static String describe(String fileName, long size, long limit) {
        return String.format(Locale.ROOT, "%s is %.1f MB; uploads may be at most %.1f MB (caregrid.imports.max-upload-size)",
                fileName, size / 1e6, limit / 1e6);
    }
}
