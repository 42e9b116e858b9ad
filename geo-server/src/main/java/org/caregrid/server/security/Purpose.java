package org.caregrid.server.security;

/** Why personal data was read, recorded with every audit row (PIPL asks for a purpose). */
public enum Purpose {
    /** Care work on the person: the card, visits, the visit tour. */
    VISIT,
    /** Planning and running medicine deliveries. */
    DISPATCH,
    /** Coverage reports, drill-downs and suggestions. */
    REPORT,
    /** Administration: users, imports, the audit log. */
    ADMIN;

    String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
