package org.caregrid.server.db;

/** The embedded PostGIS could not be made or started; the message says what to install or fix. */
public class EmbeddedPostgisException extends RuntimeException {

    public EmbeddedPostgisException(String message) {
        super(message);
    }

    public EmbeddedPostgisException(String message, Throwable cause) {
        super(message, cause);
    }
}
