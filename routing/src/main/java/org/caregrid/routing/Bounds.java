package org.caregrid.routing;

/** The area the road network covers, WGS84 degrees. */
public record Bounds(double minLat, double minLon, double maxLat, double maxLon) {
    public boolean contains(double lat, double lon) {
        return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon;
    }
}
