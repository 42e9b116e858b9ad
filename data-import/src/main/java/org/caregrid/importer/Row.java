package org.caregrid.importer;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.caregrid.importer.ImportError.Severity;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * One source row seen through the field mapping: typed getters that report problems against this row and field,
 * and geometry taken from the feature, a WKT field or lon/lat fields, converted to WGS84 and checked.
 */
final class Row {

    private final ImportPipeline<?> pipeline;
    private final SourceFeature feature;
    private final Map<String, String> fields;
    private boolean rejected;

    Row(ImportPipeline<?> pipeline, SourceFeature feature, Map<String, String> fields) {
        this.pipeline = pipeline;
        this.feature = feature;
        this.fields = fields;
    }

    long number() {
        return feature.number();
    }

    boolean isRejected() {
        return rejected;
    }

    String sourceName() {
        return pipeline.sourceName();
    }

    String sourceField(String caregridField) {
        if (FieldMapping.WKT.equals(caregridField) && feature.geometry() != null) {
            return "geometry";
        }
        return fields.getOrDefault(caregridField, caregridField);
    }

    void warn(String caregridField, String reason) {
        pipeline.problem(number(), caregridField == null ? null : sourceField(caregridField), Severity.WARNING, reason);
    }

    void reject(String caregridField, String reason) {
        if (!rejected) {
            pipeline.problem(number(), caregridField == null ? null : sourceField(caregridField), Severity.ERROR,
                    reason);
        }
        rejected = true;
    }

    Object raw(String caregridField) {
        String source = fields.get(caregridField);
        return source == null ? null : feature.attributes().get(source);
    }

    /** Trimmed text or null when absent or blank; whole numbers lose their ".0" (spreadsheets store ids as doubles). */
    String text(String caregridField) {
        Object value = raw(caregridField);
        if (value == null) {
            return null;
        }
        String text;
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            text = Long.toString(d.longValue());
        } else if (value instanceof Float f && f == Math.rint(f)) {
            text = Long.toString(f.longValue());
        } else {
            text = value.toString();
        }
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    String required(String caregridField) {
        String text = text(caregridField);
        if (text == null) {
            reject(caregridField, fields.containsKey(caregridField)
                    ? "required field is empty"
                    : "missing required field " + caregridField + " (expected a column named "
                    + pipeline.mapping().describe(caregridField) + ")");
        }
        return text;
    }

    Integer integer(String caregridField) {
        String text = text(caregridField);
        if (text == null) {
            return null;
        }
        try {
            return (int) Math.round(Double.parseDouble(text.replaceAll("[层户人]$", "")));
        } catch (NumberFormatException e) {
            warn(caregridField, "'" + text + "' is not a number; ignored");
            return null;
        }
    }

    Double decimal(String caregridField) {
        String text = text(caregridField);
        if (text == null) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            reject(caregridField, "'" + text + "' is not a number");
            return null;
        }
    }

    Boolean bool(String caregridField) {
        String text = text(caregridField);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "y", "t", "是", "有", "√" -> Boolean.TRUE;
            case "0", "false", "no", "n", "f", "否", "无", "没有", "×" -> Boolean.FALSE;
            default -> {
                warn(caregridField, "'" + text + "' is not yes/no (是/否); ignored");
                yield null;
            }
        };
    }

    LocalDate date(String caregridField) {
        String text = text(caregridField);
        if (text == null) {
            return null;
        }
        // a spreadsheet's date-time cell ("2026-11-05T14:30"): the date part
        String iso = text.replaceFirst("^(\\d{4}-\\d{2}-\\d{2})T.*$", "$1").replace('/', '-').replace('.', '-').replace("年", "-").replace("月", "-").replace("日", "");
        if (iso.matches("\\d{8}")) {
            iso = iso.substring(0, 4) + "-" + iso.substring(4, 6) + "-" + iso.substring(6);
        }
        try {
            String[] parts = iso.split("-");
            return LocalDate.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (RuntimeException e) {
            warn(caregridField, "'" + text + "' is not a date (yyyy-mm-dd); ignored");
            return null;
        }
    }

    /** The row's geometry in WGS84, or null when it has none (problems already reported). */
    Geometry geometry() {
        Geometry source = feature.geometry();
        String field = null;
        if (source == null) {
            String wkt = text(FieldMapping.WKT);
            if (wkt != null) {
                field = FieldMapping.WKT;
                try {
                    source = new WKTReader().read(wkt);
                } catch (ParseException e) {
                    reject(FieldMapping.WKT, "not valid WKT: " + e.getMessage());
                    return null;
                }
            } else if (fields.containsKey(FieldMapping.LON) || fields.containsKey(FieldMapping.LAT)) {
                Double lon = decimal(FieldMapping.LON);
                Double lat = decimal(FieldMapping.LAT);
                if (lon == null || lat == null) {
                    if (!rejected && (lon != null || lat != null)) {
                        reject(lon == null ? FieldMapping.LON : FieldMapping.LAT, "coordinate is empty");
                    }
                    return null;
                }
                field = FieldMapping.LON;
                source = Geometries.WGS84.createPoint(new Coordinate(lon, lat));
            }
        }
        if (source == null || source.isEmpty()) {
            return null;
        }
        return pipeline.toWgs84(this, source, field);
    }

    Point point(boolean required) {
        Geometry geometry = geometry();
        if (geometry == null) {
            if (required && !rejected) {
                reject(FieldMapping.LON, "no location: give lon/lat (经度/纬度) columns, a WKT column or a geometry");
            }
            return null;
        }
        if (geometry instanceof Point point) {
            return point;
        }
        // A facility drawn as a footprint: its interior point stands for it.
        return (Point) withSrid(geometry.getInteriorPoint());
    }

    Polygon polygon() {
        Geometry geometry = polygonal();
        if (geometry == null) {
            return null;
        }
        if (geometry instanceof Polygon polygon) {
            return polygon;
        }
        if (geometry.getNumGeometries() > 1) {
            warn(FieldMapping.WKT, "multipolygon with " + geometry.getNumGeometries()
                    + " parts; kept the largest part");
        }
        return (Polygon) withSrid(Geometries.largestPolygon(geometry));
    }

    MultiPolygon multiPolygon() {
        Geometry geometry = polygonal();
        return geometry == null ? null : Geometries.toMultiPolygon(geometry);
    }

    private Geometry polygonal() {
        Geometry geometry = geometry();
        if (geometry == null) {
            if (!rejected) {
                reject(FieldMapping.WKT, "no polygon geometry");
            }
            return null;
        }
        if (!(geometry instanceof Polygon || geometry instanceof MultiPolygon)) {
            reject(FieldMapping.WKT, "expected a polygon, found a " + geometry.getGeometryType());
            return null;
        }
        if (!geometry.isValid()) {
            Geometry fixed = GeometryFixer.fix(geometry);
            if (fixed.isEmpty() || !(fixed instanceof Polygon || fixed instanceof MultiPolygon)) {
                reject(FieldMapping.WKT, "invalid polygon that cannot be repaired");
                return null;
            }
            warn(FieldMapping.WKT, "invalid polygon (e.g. self-intersecting) repaired");
            geometry = withSrid(fixed);
        }
        return geometry;
    }

    private static Geometry withSrid(Geometry geometry) {
        geometry.setSRID(4326);
        return geometry;
    }

    /** Envelope used to spot swapped coordinates: the declared area, else China. */
    static Envelope checkArea(Envelope declared) {
        return declared != null ? declared : new Envelope(Geometries.CHINA_MIN_LON, Geometries.CHINA_MAX_LON,
                Geometries.CHINA_MIN_LAT, Geometries.CHINA_MAX_LAT);
    }
}
