package org.caregrid.server.web;

import java.util.List;

/**
 * An RFC 9457 problem: the body of every error answer ({@code application/problem+json}).
 *
 * @param errors for bad input: each field at fault and what is wrong with it, in the caller's language
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }
}
