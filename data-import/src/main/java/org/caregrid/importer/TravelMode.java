package org.caregrid.importer;

/** How a volunteer gets around; matches the routing profiles. */
public enum TravelMode {
    FOOT, BIKE, CAR
}
