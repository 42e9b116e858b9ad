package org.caregrid.server.web;

import java.util.List;

/**
 * What feature code throws when a request cannot be answered: a kind (which the error advice turns
 * into a status), a message key in {@code messages*.properties} with its arguments, and for bad input
 * the fields at fault. Feature code never builds HTTP answers itself.
 */
public class ApiException extends RuntimeException {

    /** The kinds of failure a caller can act on; each has its own problem type. */
    public enum Kind {
        INVALID_INPUT, NOT_FOUND, FORBIDDEN, CONFLICT, PRECONDITION_FAILED, UNPROCESSABLE, TOO_LARGE, UNAVAILABLE
    }

    /** One field's fault: the field's name as the caller spelled it, a message key and its arguments. */
    public record FieldFault(String field, String key, Object... args) {
    }

    private final Kind kind;
    private final String key;
    private final transient Object[] args;
    private final transient List<FieldFault> faults;

    public ApiException(Kind kind, String key, Object... args) {
        this(kind, List.of(), key, args);
    }

    private ApiException(Kind kind, List<FieldFault> faults, String key, Object... args) {
        super(key);
        this.kind = kind;
        this.key = key;
        this.args = args;
        this.faults = List.copyOf(faults);
    }

    public static ApiException notFound(String key, Object... args) {
        return new ApiException(Kind.NOT_FOUND, key, args);
    }

    public static ApiException forbidden(String key, Object... args) {
        return new ApiException(Kind.FORBIDDEN, key, args);
    }

    public static ApiException conflict(String key, Object... args) {
        return new ApiException(Kind.CONFLICT, key, args);
    }

    public static ApiException unprocessable(String key, Object... args) {
        return new ApiException(Kind.UNPROCESSABLE, key, args);
    }

    public static ApiException unavailable(String key, Object... args) {
        return new ApiException(Kind.UNAVAILABLE, key, args);
    }

    public static ApiException tooLarge(String key, Object... args) {
        return new ApiException(Kind.TOO_LARGE, key, args);
    }

    /** One field of the request is wrong. */
    public static ApiException invalid(String field, String key, Object... args) {
        return new ApiException(Kind.INVALID_INPUT, List.of(new FieldFault(field, key, args)), "error.invalid");
    }

    /** Several fields are wrong at once; the caller sees them all. */
    public static ApiException invalid(List<FieldFault> faults) {
        return new ApiException(Kind.INVALID_INPUT, faults, "error.invalid");
    }

    public Kind kind() {
        return kind;
    }

    public String key() {
        return key;
    }

    public Object[] args() {
        return args.clone();
    }

    public List<FieldFault> faults() {
        return faults;
    }
}
