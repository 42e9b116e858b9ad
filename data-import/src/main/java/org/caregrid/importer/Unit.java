package org.caregrid.importer;

import org.locationtech.jts.geom.Point;

/** A unit (单元, stairwell/entrance) of a building. */
public record Unit(String buildingExternalId, String number, Integer households, Point entrance) {
}
