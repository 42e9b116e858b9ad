package org.caregrid.server.imports;

/**
 * The database refused a load, or the loader found what the database would refuse; the transaction is rolled
 * back. {@code field} is the caregrid field concerned, when there is one.
 */
public class LoadException extends RuntimeException {

    private final String field;

    public LoadException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public LoadException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
