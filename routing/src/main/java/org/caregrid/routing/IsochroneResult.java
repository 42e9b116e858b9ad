package org.caregrid.routing;

import org.locationtech.jts.geom.MultiPolygon;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The area reachable from a place within a time (a service area, 服务范围).
 *
 * @param area      x = longitude, y = latitude (WGS84); empty when the centre could not be snapped
 * @param unsnapped the centre, when it could not be attached to the road network
 */
public record IsochroneResult(Place centre, TravelMode mode, Duration limit, Optional<MultiPolygon> area,
                              List<Unsnapped> unsnapped) {
    public IsochroneResult {
        unsnapped = List.copyOf(unsnapped);
    }

    /** The area as a GeoJSON Feature (RFC 7946), or null when there is none. */
    public String toGeoJsonFeature() {
        return area.map(a -> GeoJson.feature(a, centre.id(), mode.profileName(), limit.toSeconds())).orElse(null);
    }
}
