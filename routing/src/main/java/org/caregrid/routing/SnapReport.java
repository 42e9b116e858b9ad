package org.caregrid.routing;

import java.util.List;

/** Which places could be attached to the road network, with their snapped positions, and which could not. */
public record SnapReport(List<SnappedPlace> snapped, List<Unsnapped> unsnapped) {
    public SnapReport {
        snapped = List.copyOf(snapped);
        unsnapped = List.copyOf(unsnapped);
    }

    /** @param distanceMeters distance between the place and the point on the road it was attached to */
    public record SnappedPlace(Place place, double snappedLat, double snappedLon, double distanceMeters) {
    }
}
