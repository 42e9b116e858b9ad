package org.caregrid.server.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.caregrid.server.db.DbSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Logs denied attempts on personal data: every 401, 403 or 404 answer of an endpoint that shows or changes
 * persons (its action is one of {@link #PURPOSES}, or it is marked {@link PersonalData}) leaves an
 * {@code audit_log} row with outcome {@code denied}: who (the caller, or the name a refused log-in presented),
 * the action, the endpoint, the person where the path names one, the purpose, and the status. A 404 is
 * included because outside the caller's scope a person does not exist for them. The row is written before
 * the answer leaves. Runs before Spring Security, so that its 401s are seen too.
 */
@Component
@Order(-200)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class DeniedAudit implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(DeniedAudit.class);

    /** The exchange attribute under which {@link AccessFilter} leaves the authenticated caller. */
    static final String CALLER = DeniedAudit.class.getName() + ".caller";

    /** The actions on persons' data and the purpose each serves. */
    static final Map<Action, Purpose> PURPOSES = Map.of(
            Action.READ_NAMES, Purpose.VISIT, Action.READ_PHONE, Purpose.VISIT, Action.RECORD_VISIT, Purpose.VISIT,
            Action.REGISTER, Purpose.VISIT, Action.PLAN_VISITS, Purpose.VISIT,
            Action.REQUEST_DELIVERY, Purpose.DISPATCH, Action.PLAN_DELIVERIES, Purpose.DISPATCH,
            // a volunteer's record holds where they live; a route, the households it serves
            Action.KEEP_VOLUNTEERS, Purpose.DISPATCH, Action.DELIVER, Purpose.DISPATCH,
            // the subsidy sheet and certificates name volunteers with their hours and money
            Action.REPORT_SERVICE, Purpose.REPORT);

    private static final Set<Integer> DENIED = Set.of(401, 403, 404);
    private static final String ANONYMOUS = "(anonymous)";

    private final RequestMappingHandlerMapping handlers;
    private final AuditLog auditLog;

    DeniedAudit(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers, AuditLog auditLog) {
        this.handlers = handlers;
        this.auditLog = auditLog;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        return handlers.getHandler(exchange).onErrorResume(e -> Mono.empty())
                .filter(HandlerMethod.class::isInstance).cast(HandlerMethod.class)
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(handler -> {
                    handler.ifPresent(method -> {
                        Requires requires = method.getMethodAnnotation(Requires.class);
                        PersonalData marked = method.getMethodAnnotation(PersonalData.class);
                        Purpose purpose = marked != null ? marked.value()
                                : requires == null ? null : PURPOSES.get(requires.value());
                        if (purpose != null) {
                            String action = requires == null ? "personal_data" : requires.value().name().toLowerCase(java.util.Locale.ROOT);
                            Long person = personOf(exchange);
                            exchange.getResponse().beforeCommit(() -> record(exchange, action, person, purpose));
                        }
                    });
                    return chain.filter(exchange);
                });
    }

    private Mono<Void> record(ServerWebExchange exchange, String action, Long person, Purpose purpose) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        if (status == null || !DENIED.contains(status.value())) {
            return Mono.empty();
        }
        String who = who(exchange);
        String endpoint = exchange.getRequest().getMethod().name() + " " + exchange.getRequest().getPath().value();
        if (ANONYMOUS.equals(who)) {
            // no credentials at all: nothing limits these, and the audit log can never shrink, so a line only
            log.info("Refused without credentials: {} {} ({})", action, endpoint, status.value());
            return Mono.empty();
        }
        return Mono.fromRunnable(() -> DbSession.NONE.run(() ->
                        auditLog.denied(who, action, endpoint, person, purpose, status.value())))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> {
                    log.error("Could not log a denied {} of {} by {}: {}", action, endpoint, who, e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** The caller; for a refused log-in the name it presented (at most 100 characters). */
    private static String who(ServerWebExchange exchange) {
        CaregridUser caller = exchange.getAttribute(CALLER);
        if (caller != null) {
            return caller.getUsername();
        }
        String authorization = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (SecurityConfig.sendsBasicCredentials(authorization)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                String name = pair.contains(":") ? pair.substring(0, pair.indexOf(':')) : pair;
                return "(log-in failed) " + (name.length() > 100 ? name.substring(0, 100) : name);
            } catch (IllegalArgumentException e) {
                return "(log-in failed)";
            }
        }
        return BearerTokens.bearer(authorization) != null ? "(bearer token refused)" : ANONYMOUS;
    }

    /** The person the path names ({@code /api/persons/{id}/…}, {@code …/{personId}}), or null. */
    private static Long personOf(ServerWebExchange exchange) {
        Map<String, String> variables = exchange.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables == null) {
            return null;
        }
        String value = variables.get("personId");
        if (value == null && exchange.getRequest().getPath().value().startsWith("/api/persons/")) {
            value = variables.get("id");
        }
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
