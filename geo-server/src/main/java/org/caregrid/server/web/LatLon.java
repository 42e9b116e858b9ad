package org.caregrid.server.web;

import java.util.List;

/** A point as people and GIS clients give it: latitude and longitude in WGS84 degrees. */
public record LatLon(Double lat, Double lon) {

    /** Adds faults naming {@code field.lat} / {@code field.lon} when either is missing or off the globe. */
    public static void check(String field, LatLon point, List<ApiException.FieldFault> faults) {
        if (point == null) {
            return;
        }
        if (point.lat() == null || point.lat() < -90 || point.lat() > 90 || point.lat().isNaN()) {
            faults.add(new ApiException.FieldFault(field + ".lat", "error.range", -90, 90, String.valueOf(point.lat())));
        }
        if (point.lon() == null || point.lon() < -180 || point.lon() > 180 || point.lon().isNaN()) {
            faults.add(new ApiException.FieldFault(field + ".lon", "error.range", -180, 180, String.valueOf(point.lon())));
        }
    }
}
