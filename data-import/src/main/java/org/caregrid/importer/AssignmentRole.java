package org.caregrid.importer;

/** Who is responsible for what (role_assignment.role); the responsible person of a key person is 包保责任人. */
public enum AssignmentRole implements Coded {
    GRID_WORKER, COMMUNITY_WORKER, PROPERTY_STAFF, BUILDING_HEAD, UNIT_HEAD, DELIVERY_SQUAD, RESERVE, RESPONSIBLE
}
