package org.caregrid.routing;

import java.util.Objects;

/** A caller-identified point in WGS84 (e.g. a building entrance or a pharmacy). */
public record Place(String id, double lat, double lon) {
    public Place {
        Objects.requireNonNull(id, "id");
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("place " + id + " has invalid coordinates " + lat + "," + lon);
        }
    }
}
