package org.caregrid.importer;

import java.util.Locale;

/**
 * A value of one of the schema's check lists (key_person.needs, facility.kind, ...). The enum constant
 * is the code in upper case, so that the Java name and the stored value cannot drift apart.
 */
public interface Coded {

    String name();

    /** The value the database stores and the API speaks, e.g. {@code medicine_delivery}. */
    default String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
