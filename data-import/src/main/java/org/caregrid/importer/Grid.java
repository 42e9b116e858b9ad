package org.caregrid.importer;

import org.locationtech.jts.geom.Polygon;

/** A management grid (网格), the area one grid worker is responsible for. */
public record Grid(String code, String name, String communityCode, Polygon boundary) {
}
