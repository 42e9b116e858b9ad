package org.caregrid.server.security;

/** What a user does; each role sees different data (DOMAIN.md, "Personal data"). */
public enum Role {
    ADMIN, PLANNER, DISPATCHER, GRID_WORKER, VOLUNTEER;

    public String authority() {
        return "ROLE_" + name();
    }
}
