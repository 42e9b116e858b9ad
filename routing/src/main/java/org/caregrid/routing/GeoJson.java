package org.caregrid.routing;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

import java.util.Locale;

/** Just enough GeoJSON for our polygons; jts-core has no writer and jts-io is not worth a dependency. */
final class GeoJson {
    private GeoJson() {
    }

    static String feature(MultiPolygon area, String centreId, String profile, long seconds) {
        return "{\"type\":\"Feature\",\"properties\":{\"centre\":" + quote(centreId) + ",\"profile\":" + quote(profile)
                + ",\"seconds\":" + seconds + "},\"geometry\":" + multiPolygon(area) + "}";
    }

    static String serviceArea(MultiPolygon area, String profile, long seconds) {
        String minutes = seconds % 60 == 0 ? Long.toString(seconds / 60)
                : String.format(Locale.ROOT, "%.3f", seconds / 60.0);
        return "{\"type\":\"Feature\",\"properties\":{\"minutes\":" + minutes + ",\"seconds\":" + seconds
                + ",\"profile\":" + quote(profile) + "},\"geometry\":" + multiPolygon(area) + "}";
    }

    static String multiPolygon(MultiPolygon area) {
        StringBuilder sb = new StringBuilder("{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (int i = 0; i < area.getNumGeometries(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Polygon polygon = (Polygon) area.getGeometryN(i);
            // RFC 7946: exterior rings counter-clockwise, holes clockwise.
            sb.append('[');
            ring(sb, polygon.getExteriorRing(), true);
            for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                sb.append(',');
                ring(sb, polygon.getInteriorRingN(h), false);
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    private static void ring(StringBuilder sb, LineString ring, boolean counterClockwise) {
        Coordinate[] coordinates = ring.getCoordinates();
        boolean isCcw = org.locationtech.jts.algorithm.Orientation.isCCW(coordinates);
        sb.append('[');
        for (int k = 0; k < coordinates.length; k++) {
            Coordinate c = coordinates[isCcw == counterClockwise ? k : coordinates.length - 1 - k];
            if (k > 0) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "[%.6f,%.6f]", c.x, c.y));
        }
        sb.append(']');
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
