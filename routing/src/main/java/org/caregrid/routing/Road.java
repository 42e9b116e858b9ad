package org.caregrid.routing;

import org.locationtech.jts.geom.LineString;

/**
 * One edge of the road graph as drawn on a map: its OSM road class (e.g. "primary", "residential",
 * "footway") and its geometry (x = longitude, y = latitude, WGS84).
 */
public record Road(int edgeId, String roadClass, LineString geometry) {
}
