package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** The level that calls a reserve volunteer out (volunteer.reserve_tier): 市级, 县级, 街道级. */
public enum ReserveTier implements Coded {
    CITY, COUNTY, STREET
}
