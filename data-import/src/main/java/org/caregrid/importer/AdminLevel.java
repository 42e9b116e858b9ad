package org.caregrid.importer;

/** Level of an administrative area, from the national statistical division hierarchy. */
public enum AdminLevel {
    CITY, DISTRICT, STREET, COMMUNITY
}
