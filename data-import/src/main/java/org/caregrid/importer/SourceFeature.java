package org.caregrid.importer;

import java.util.Map;
import org.locationtech.jts.geom.Geometry;

/** One row or feature as a format reader sees it: attributes by source field name, geometry in the source CRS. */
record SourceFeature(long number, Map<String, Object> attributes, Geometry geometry) {
}
