package org.caregrid.routing;

/**
 * A place that could not be attached to the road network of a travel mode.
 *
 * @param distanceMeters distance to the nearest usable road, or NaN when none was found at all
 */
public record Unsnapped(Place place, double distanceMeters, Reason reason) {
    public enum Reason {
        /** The nearest usable road is farther than the network's maximum snap distance. */
        TOO_FAR_FROM_ROAD,
        /** No usable road in the searched area (outside the map, or only on isolated islands). */
        NO_ROAD_FOUND
    }

    public String id() {
        return place.id();
    }
}
