package org.caregrid.importer;

import org.locationtech.jts.geom.MultiPolygon;

/**
 * An administrative area with its 12-digit statistical division code (6 county + 3 street + 3 community digits),
 * so roll-ups can be prefix matches. {@code parentCode} is null for the top of an import.
 */
public record AdminArea(String code, AdminLevel level, String parentCode, String name, MultiPolygon boundary) {
}
