package org.caregrid.server.web;

import java.net.URI;

import org.springframework.http.ResponseEntity;

/**
 * Optimistic concurrency for every editable record: its {@code version} travels as a strong
 * {@code ETag} ({@code "3"}) and comes back in {@code If-Match}; a write against another version gets
 * 412 and changes nothing.
 */
public final class Versions {

    private Versions() {
    }

    public static String etag(int version) {
        return "\"" + version + "\"";
    }

    /** A record just created: {@code 201} with its {@code Location} and its version as the {@code ETag}. */
    public static <T> ResponseEntity<T> created(String location, int version, T record) {
        return ResponseEntity.created(URI.create(location)).eTag(etag(version)).body(record);
    }

    /** A record as it stands now: {@code 200} with its version as the {@code ETag}. */
    public static <T> ResponseEntity<T> current(int version, T record) {
        return ResponseEntity.ok().eTag(etag(version)).body(record);
    }

    /** The version an {@code If-Match} header names; null when there is none or it is {@code *}. */
    public static Integer ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("If-Match", "error.ifMatch", header);
        }
    }

    /** The answer when an update matched no row: 412 if the record is there in another version, else 404. */
    public static ApiException stale(boolean exists, String notFoundKey, Object id) {
        return exists ? new ApiException(ApiException.Kind.PRECONDITION_FAILED, "error.stale", id)
                : ApiException.notFound(notFoundKey, id);
    }
}
