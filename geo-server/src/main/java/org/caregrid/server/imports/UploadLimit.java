package org.caregrid.server.imports;

import org.caregrid.server.web.ApiException;
import java.security.Principal;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.caregrid.server.security.CaregridUser;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Guards {@code POST /api/imports} before a byte of its body is read (it runs after Spring Security, so the caller is
 * known): a caller who may import nothing (see {@link ImportRights}) gets 403, a declared length over the limit 413, and a body sent
 * without a length (chunked) is counted as it arrives and cut off with 413 at the limit.
 */
@Component
class UploadLimit implements WebFilter {

    private final ImportProperties properties;

    UploadLimit(ImportProperties properties) {
        this.properties = properties;
    }

    /** The body went past the limit while it was read. */
    static final class TooLarge extends ResponseStatusException {
        TooLarge(String reason) {
            super(HttpStatus.CONTENT_TOO_LARGE, reason);
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.POST || !request.getPath().value().equals("/api/imports")) {
            return chain.filter(exchange);
        }
        long limit = properties.maxUploadSize().toBytes();
        long length = request.getHeaders().getContentLength();
        return exchange.<Principal>getPrincipal().map(UploadLimit::mayImport).defaultIfEmpty(false).flatMap(admin -> {
            if (!admin) {
                return refuse(exchange, ApiException.forbidden("error.policy.IMPORT"));
            }
            if (length > limit) {
                return refuse(exchange, ApiException.tooLarge("error.text", describe("The upload", length, limit)));
            }
            var counted = new ServerHttpRequestDecorator(request) {
                @Override
                public Flux<DataBuffer> getBody() {
                    AtomicLong seen = new AtomicLong();
                    return super.getBody().<DataBuffer>handle((buffer, sink) -> {
                        if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                            DataBufferUtils.release(buffer);
                            sink.error(new TooLarge(String.format(Locale.ROOT, "The upload is more than %.1f MB;"
                                    + " uploads may be at most %.1f MB (caregrid.imports.max-upload-size)",
                                    limit / 1e6, limit / 1e6)));
                        } else {
                            sink.next(buffer);
                        }
                    });
                }
            };
            return chain.filter(exchange.mutate().request(counted).build())
                    .onErrorResume(e -> tooLarge(e) != null && !exchange.getResponse().isCommitted(),
                            e -> refuse(exchange, ApiException.tooLarge("error.text", tooLarge(e).getReason())));
        });
    }

    private static boolean mayImport(Principal principal) {
        return principal instanceof Authentication auth && auth.getPrincipal() instanceof CaregridUser user
                && ImportRights.mayUpload(user);
    }

    /** The TooLarge in an error's causes (the multipart reader may wrap it), or null. */
    private static TooLarge tooLarge(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof TooLarge tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    /** The problem answer (web/ProblemExceptionHandler writes it), on a connection that is then closed. */
    private static Mono<Void> refuse(ServerWebExchange exchange, ApiException problem) {
        // the request is answered unread: the connection cannot be reused for another request
        exchange.getResponse().getHeaders().setConnection("close");
        return Mono.error(problem);
    }

    static String describe(String fileName, long size, long limit) {
        return String.format(Locale.ROOT, "%s is %.1f MB; uploads may be at most %.1f MB (caregrid.imports.max-upload-size)",
                fileName, size / 1e6, limit / 1e6);
    }
}
