package org.caregrid.importer.demo;

import org.caregrid.importer.Geometries;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/** Local metres (x east, y north from the district's south-west corner) to WGS84; accurate enough over ~10 km. */
final class LocalProjection {

    private static final double METRES_PER_DEGREE_LAT = 110_574.0;
    private final double originLon;
    private final double originLat;
    private final double metresPerDegreeLon;

    LocalProjection(double originLon, double originLat) {
        this.originLon = originLon;
        this.originLat = originLat;
        this.metresPerDegreeLon = 111_320.0 * Math.cos(Math.toRadians(originLat));
    }

    double lon(double x) {
        return round7(originLon + x / metresPerDegreeLon);
    }

    double lat(double y) {
        return round7(originLat + y / METRES_PER_DEGREE_LAT);
    }

    /** OSM stores 7 decimals: rounding here keeps records and the road file in agreement. */
    private static double round7(double degrees) {
        return Math.round(degrees * 1e7) / 1e7;
    }

    Coordinate coordinate(double x, double y) {
        return new Coordinate(lon(x), lat(y));
    }

    Point point(double x, double y) {
        return Geometries.point(lon(x), lat(y));
    }

    Polygon rectangle(double x0, double y0, double x1, double y1) {
        return Geometries.WGS84.createPolygon(new Coordinate[] {coordinate(x0, y0), coordinate(x1, y0),
                coordinate(x1, y1), coordinate(x0, y1), coordinate(x0, y0)});
    }
}
