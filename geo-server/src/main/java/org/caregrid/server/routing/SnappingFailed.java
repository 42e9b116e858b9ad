package org.caregrid.server.routing;

import java.util.List;

import org.caregrid.routing.Unsnapped;

/**
 * The 422 body when places cannot be attached to the road network: which ones and how far the
 * nearest usable road is (null when none was found at all).
 */
public record SnappingFailed(String message, List<Failure> unsnapped) {

    public record Failure(String id, double lat, double lon, Double distanceMeters, String reason) {
    }

    public static SnappingFailed of(String message, List<Unsnapped> unsnapped) {
        return new SnappingFailed(message, failures(unsnapped));
    }

    public static List<Failure> failures(List<Unsnapped> unsnapped) {
        return unsnapped.stream().map(u -> new Failure(u.id(), u.place().lat(), u.place().lon(),
                Double.isNaN(u.distanceMeters()) ? null : Math.round(u.distanceMeters() * 10) / 10.0,
                u.reason().name().toLowerCase())).toList();
    }
}
