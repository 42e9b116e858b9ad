package org.caregrid.importer;

/** How a volunteer gets around; matches the routing profiles. */
public enum TravelMode implements Coded {
    FOOT, BIKE, CAR
}
