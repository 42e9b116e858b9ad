package org.caregrid.server.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.caregrid.server.db.DbSession;
import org.caregrid.server.web.ApiException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Enforces the access policy for every handler before it runs, and hands the caller's database
 * session (row-level security settings) to {@code Db.async} through the Reactor context. Runs after
 * Spring Security has authenticated the caller.
 */
@Component
@Order(0)
// the command line (import, coverage verify, bench) starts the server's beans without a web server
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class AccessFilter implements WebFilter {

    private final RequestMappingHandlerMapping handlers;

    AccessFilter(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers) {
        this.handlers = handlers;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Mono<CaregridUser> caller = ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(authentication -> authentication.getPrincipal() instanceof CaregridUser)
                .map(authentication -> (CaregridUser) authentication.getPrincipal());
        return caller.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(user -> handlers.getHandler(exchange).map(java.util.Optional::of)
                        .defaultIfEmpty(java.util.Optional.empty())
                        .flatMap(handler -> {
                            user.ifPresent(u -> exchange.getAttributes().put(DeniedAudit.CALLER, u));
                            if (handler.orElse(null) instanceof HandlerMethod method) {
                                check(method, user.orElse(null));
                            }
                            DbSession session = user.map(AccessPolicy::databaseSession).orElse(DbSession.NONE);
                            return chain.filter(exchange).contextWrite(context -> context.put(DbSession.CONTEXT_KEY, session));
                        }));
    }

    private static void check(HandlerMethod method, CaregridUser user) {
        Requires requires = method.getMethodAnnotation(Requires.class);
        if (requires == null) {
            // fail closed: a handler that forgot to declare its action serves nobody
            if (isPoliced(method)) {
                throw ApiException.forbidden("error.policy.undeclared");
            }
            return;
        }
        if (user == null) {
            throw ApiException.forbidden("error.forbidden");
        }
        AccessPolicy.require(user, requires.value());
    }

    /** caregrid's own controllers; Spring's and springdoc's endpoints are governed by SecurityConfig alone. */
    static boolean isPoliced(HandlerMethod method) {
        return method.getBeanType().getPackageName().startsWith("org.caregrid.server");
    }
}
