package org.caregrid.importer;

import org.locationtech.jts.geom.Point;

/** A facility. {@code openingHours} uses OSM opening_hours syntax (e.g. "Mo-Su 08:00-22:00"), or null. */
public record Facility(String externalId, FacilityKind kind, String name, String openingHours, Point location) {
}
