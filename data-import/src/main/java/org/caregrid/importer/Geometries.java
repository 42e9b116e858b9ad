package org.caregrid.importer;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/** Geometry helpers shared by the readers; all WGS84 with SRID 4326. */
public final class Geometries {

    /** The factory every record geometry is made with. */
    public static final GeometryFactory WGS84 = new GeometryFactory(new PrecisionModel(), 4326);

    /** Mainland China including Hainan and the southern islands, lon/lat. */
    static final double CHINA_MIN_LON = 73.4;
    static final double CHINA_MAX_LON = 135.1;
    static final double CHINA_MIN_LAT = 3.8;
    static final double CHINA_MAX_LAT = 53.6;

    private static final double METRES_PER_DEGREE_LAT = 110_574.0;
    private static final double METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0;

    private Geometries() {
    }

    public static Point point(double lon, double lat) {
        return WGS84.createPoint(new Coordinate(lon, lat));
    }

    /** Approximate area in square metres of a small WGS84 polygon (equirectangular at its latitude). */
    public static double areaSquareMetres(Geometry wgs84) {
        double lat = wgs84.getEnvelopeInternal().centre().y;
        return wgs84.getArea() * METRES_PER_DEGREE_LAT * METRES_PER_DEGREE_LON_AT_EQUATOR
                * Math.cos(Math.toRadians(lat));
    }

    /** Approximate distance in metres between two WGS84 points a few kilometres apart. */
    public static double distanceMetres(Coordinate a, Coordinate b) {
        double dx = (a.x - b.x) * METRES_PER_DEGREE_LON_AT_EQUATOR * Math.cos(Math.toRadians((a.y + b.y) / 2));
        double dy = (a.y - b.y) * METRES_PER_DEGREE_LAT;
        return Math.hypot(dx, dy);
    }

    /** The polygons of a geometry as a WGS84 multipolygon (e.g. for area boundaries made by union). */
    public static MultiPolygon toMultiPolygon(Geometry geometry) {
        if (geometry instanceof MultiPolygon multi) {
            return multi;
        }
        List<Polygon> polygons = new ArrayList<>();
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            Geometry part = geometry.getGeometryN(i);
            if (part instanceof Polygon polygon && !polygon.isEmpty()) {
                polygons.add(polygon);
            } else if (part instanceof MultiPolygon multi) {
                for (int j = 0; j < multi.getNumGeometries(); j++) {
                    polygons.add((Polygon) multi.getGeometryN(j));
                }
            }
        }
        MultiPolygon multi = WGS84.createMultiPolygon(polygons.toArray(Polygon[]::new));
        multi.setSRID(4326);
        return multi;
    }

    static Polygon largestPolygon(Geometry geometry) {
        Polygon best = null;
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            Geometry part = geometry.getGeometryN(i);
            if (part instanceof Polygon polygon && (best == null || polygon.getArea() > best.getArea())) {
                best = polygon;
            }
        }
        return best;
    }
}
