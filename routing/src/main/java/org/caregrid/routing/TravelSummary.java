package org.caregrid.routing;

/** Distance, time and weight of the best route between two places, without geometry or instructions. */
public record TravelSummary(double distanceMeters, long timeMillis, double weight) {
}
