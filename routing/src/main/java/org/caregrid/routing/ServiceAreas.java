package org.caregrid.routing;

import org.locationtech.jts.geom.MultiPolygon;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The area reachable from any of several places (the facilities) within each of several times: one polygon per
 * limit, from one search.
 *
 * @param areas      one per limit, in the order the limits were given; none when no facility could be snapped
 * @param snapped    how many facilities were attached to the road network and took part
 * @param unsnapped  the facilities that could not be attached to the road network
 */
public record ServiceAreas(TravelMode mode, List<Area> areas, int snapped, List<Unsnapped> unsnapped) {
    public ServiceAreas {
        areas = List.copyOf(areas);
        unsnapped = List.copyOf(unsnapped);
    }

    /** @param area x = longitude, y = latitude (WGS84); the region whose best walk takes at most {@code limit} */
    public record Area(Duration limit, MultiPolygon area) {
    }

    /**
     * One GeoJSON Feature (RFC 7946) per limit, largest first so that smaller areas draw on top; properties
     * {@code minutes}, {@code seconds} and {@code profile}.
     */
    public List<String> toGeoJsonFeatures() {
        return areas.stream().sorted(Comparator.comparing(Area::limit).reversed())
                .map(a -> GeoJson.serviceArea(a.area(), mode.profileName(), a.limit().toSeconds()))
                .toList();
    }
}
