package org.caregrid.importer;

import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * A building (楼栋). {@code source} names where it came from ("osm", "demo", a file name) so re-imports upsert by
 * (source, externalId). {@code householdsEstimated} is true when the count was derived (footprint x levels) rather
 * than given. {@code entrance} is the main entrance, or null.
 */
public record Building(String externalId, String source, String name, String code, Polygon footprint,
                       Point entrance, Integer floors, Integer households, boolean householdsEstimated,
                       String compoundExternalId, Address address) {
}
