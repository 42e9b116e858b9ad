package org.caregrid.server.security;

import org.caregrid.importer.Coded;

/** What a user does; each role sees different data (DOMAIN.md, "Personal data"). */
public enum Role implements Coded {
    ADMIN, PLANNER, DISPATCHER, GRID_WORKER, VOLUNTEER;

    /** app_user.roles holds the names as they are. */
    @Override
    public String code() {
        return name();
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
