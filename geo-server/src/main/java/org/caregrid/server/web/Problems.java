package org.caregrid.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns any failure into a {@link Problem} in the caller's language: caregrid's own
 * {@link ApiException}s, the framework's input errors (a missing or malformed parameter, a body that
 * is not JSON, a media type not served), and a lost database. Nothing a caller sends gets a 500; an
 * unexpected failure does, with an incident number that the log repeats, and no stack trace.
 */
@Component
public class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private final MessageSource messages;

    Problems(MessageSource messages) {
        this.messages = messages;
    }

    public Problem of(Throwable failure, ServerWebExchange exchange) {
        Locale locale = Language.of(exchange);
        String instance = exchange.getRequest().getPath().value();
        Answer answer = answer(failure, locale);
        String title = text("problem.title." + answer.type(), locale);
        return new Problem("urn:caregrid:problem:" + answer.type(), title, answer.status().value(),
                answer.detail(), instance, answer.errors().isEmpty() ? null : answer.errors());
    }

    private record Answer(HttpStatusCode status, String type, String detail, List<Problem.FieldError> errors) {
        Answer(HttpStatusCode status, String type, String detail) {
            this(status, type, detail, List.of());
        }
    }

    private Answer answer(Throwable failure, Locale locale) {
        if (failure instanceof ApiException api) {
            return fromApi(api, locale);
        }
        if (failure instanceof WebExchangeBindException bind) {
            List<Problem.FieldError> errors = new ArrayList<>();
            bind.getFieldErrors().forEach(fe -> errors.add(new Problem.FieldError(fe.getField(), messages.getMessage(fe, locale))));
            bind.getGlobalErrors().forEach(ge -> errors.add(new Problem.FieldError(ge.getObjectName(), messages.getMessage(ge, locale))));
            return invalid(errors, locale);
        }
        if (failure instanceof HandlerMethodValidationException validation) {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (ParameterValidationResult result : validation.getParameterValidationResults()) {
                String name = result.getMethodParameter().getParameterName();
                result.getResolvableErrors().forEach(error -> errors.add(new Problem.FieldError(name,
                        messages.getMessage(new DefaultMessageSourceResolvable(error.getCodes(), error.getArguments(),
                                error.getDefaultMessage()), locale))));
            }
            return invalid(errors, locale);
        }
        if (failure instanceof MissingRequestValueException missing) {
            return invalid(List.of(new Problem.FieldError(missing.getName(), text("error.required", locale))), locale);
        }
        if (failure instanceof UnsupportedMediaTypeStatusException media) {
            return new Answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", text("error.unsupportedMediaType", locale,
                    String.valueOf(media.getContentType()), String.valueOf(media.getSupportedMediaTypes())));
        }
        if (failure instanceof NotAcceptableStatusException notAcceptable) {
            return new Answer(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", text("error.notAcceptable", locale,
                    String.valueOf(notAcceptable.getSupportedMediaTypes())));
        }
        if (failure instanceof MethodNotAllowedException method) {
            return new Answer(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", text("error.methodNotAllowed", locale,
                    method.getHttpMethod(), String.valueOf(method.getSupportedMethods())));
        }
        if (failure instanceof PayloadTooLargeException || causedBy(failure, DataBufferLimitException.class) != null) {
            return new Answer(HttpStatus.CONTENT_TOO_LARGE, "too-large", text("error.bodyTooLarge", locale));
        }
        if (failure instanceof ServerWebInputException input) {
            return fromInput(input, locale);
        }
        if (failure instanceof AccessDeniedException) {
            return new Answer(HttpStatus.FORBIDDEN, "forbidden", text("error.forbidden", locale));
        }
        if (causedBy(failure, CannotGetJdbcConnectionException.class) != null
                || causedBy(failure, DataAccessResourceFailureException.class) != null
                || causedBy(failure, TransientDataAccessException.class) != null) {
            log.warn("Database unavailable: {}", failure.getMessage());
            return new Answer(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", text("error.databaseUnavailable", locale));
        }
        java.sql.SQLException sql = causedBy(failure, java.sql.SQLException.class);
        if (sql != null && "42501".equals(sql.getSQLState())) {
            // row-level security refused a write outside the caller's scope
            return new Answer(HttpStatus.FORBIDDEN, "forbidden", text("error.scope.write", locale));
        }
        if (failure instanceof ResponseStatusException status) {
            String detail = status.getReason() != null ? status.getReason()
                    : text("problem.title." + typeOf(status.getStatusCode()), locale);
            return new Answer(status.getStatusCode(), typeOf(status.getStatusCode()), detail);
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        log.error("Incident {}: {}", incident, failure.toString(), failure);
        return new Answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal", text("error.internal", locale, incident));
    }

    private Answer fromApi(ApiException api, Locale locale) {
        if (api.kind() == ApiException.Kind.INVALID_INPUT) {
            List<Problem.FieldError> errors = api.faults().stream()
                    .map(f -> new Problem.FieldError(f.field(), text(f.key(), locale, f.args()))).toList();
            return invalid(errors, locale);
        }
        HttpStatus status = switch (api.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
            case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
        };
        return new Answer(status, typeOf(status), text(api.key(), locale, api.args()));
    }

    private Answer fromInput(ServerWebInputException input, Locale locale) {
        String parameter = input.getMethodParameter() != null ? input.getMethodParameter().getParameterName() : null;
        StreamReadException syntax = causedBy(input, StreamReadException.class);
        if (syntax != null) {
            var where = syntax.getLocation();
            return invalid(List.of(new Problem.FieldError("body", text("error.malformedJson", locale,
                    where == null ? "?" : where.getLineNr(), where == null ? "?" : where.getColumnNr()))), locale);
        }
        JacksonException mapping = causedBy(input, JacksonException.class);
        if (mapping != null) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
            return invalid(List.of(new Problem.FieldError(field, text("error.badJsonValue", locale))), locale);
        }
        if (causedBy(input, DecodingException.class) != null) {
            return invalid(List.of(new Problem.FieldError("body", text("error.unreadableBody", locale))), locale);
        }
        if (parameter != null) {
            return invalid(List.of(new Problem.FieldError(parameter, text("error.badParameter", locale))), locale);
        }
        return invalid(List.of(new Problem.FieldError("request", input.getReason() == null
                ? text("error.unreadableBody", locale) : input.getReason())), locale);
    }

    private Answer invalid(List<Problem.FieldError> errors, Locale locale) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse(text("error.invalid", locale));
        return new Answer(HttpStatus.BAD_REQUEST, "invalid-input", detail, errors);
    }

    private static String typeOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "invalid-input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 412 -> "precondition-failed";
            case 413 -> "too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 503 -> "unavailable";
            default -> status.is4xxClientError() ? "client-error" : "internal";
        };
    }

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }

    private static <T extends Throwable> T causedBy(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
