package org.caregrid.importer;

import org.locationtech.jts.geom.Polygon;

/** A residential compound (小区/院落). {@code hasPropertyManagement} is null when the source does not say. */
public record Compound(String externalId, String name, Boolean hasPropertyManagement, Polygon boundary) {
}
