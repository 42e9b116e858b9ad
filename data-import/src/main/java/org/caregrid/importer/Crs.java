package org.caregrid.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * A source coordinate system and its conversion to WGS84 (EPSG:4326, x = lon, y = lat), the only system caregrid
 * stores. Covers EPSG codes that proj4j knows (incl. CGCS2000 4490 and its Gauss-Krüger zones 4491–4554),
 * ESRI/OGC .prj text, and the Chinese web-map datums GCJ-02 and BD-09.
 */
public final class Crs {

    private static final CRSFactory CRS_FACTORY = new CRSFactory();
    private static final CoordinateTransformFactory TRANSFORMS = new CoordinateTransformFactory();
    private static final Crs WGS84 = new Crs("EPSG:4326", 4326, Kind.IDENTITY, null);
    private static final Pattern EPSG_AUTHORITY =
            Pattern.compile("(?:AUTHORITY|ID)\\s*\\[\\s*\"EPSG\"\\s*,\\s*\"?(\\d+)\"?\\s*]", Pattern.CASE_INSENSITIVE);
    private static final Pattern WKT_NAME = Pattern.compile("^\\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\\s*\\[\\s*\"([^\"]*)\"",
            Pattern.CASE_INSENSITIVE);

    private enum Kind { IDENTITY, PROJ4J, GCJ02, BD09 }

    private final String name;
    private final Integer epsgCode;
    private final Kind kind;
    private final CoordinateReferenceSystem source;
    private CoordinateTransform transform;

    private Crs(String name, Integer epsgCode, Kind kind, CoordinateReferenceSystem source) {
        this.name = name;
        this.epsgCode = epsgCode;
        this.kind = kind;
        this.source = source;
    }

    public static Crs wgs84() {
        return WGS84;
    }

    /** GCJ-02, the datum of Amap (高德) and Tencent map coordinates. */
    public static Crs gcj02() {
        return new Crs("GCJ-02", null, Kind.GCJ02, null);
    }

    /** BD-09, the datum of Baidu map coordinates. */
    public static Crs bd09() {
        return new Crs("BD-09", null, Kind.BD09, null);
    }

    /** An EPSG code; throws IllegalArgumentException naming the code when proj4j does not know it. */
    public static Crs epsg(int code) {
        // CGCS2000 and WGS84 differ by centimetres: treating 4490 as WGS84 avoids a pointless datum shift.
        if (code == 4326 || code == 4490) {
            return code == 4326 ? WGS84 : new Crs("EPSG:4490", 4490, Kind.IDENTITY, null);
        }
        try {
            return new Crs("EPSG:" + code, code, Kind.PROJ4J, CRS_FACTORY.createFromName("EPSG:" + code));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown coordinate system EPSG:" + code, e);
        }
    }

    /**
     * Parses what a user types: "EPSG:4547", "4547", "WGS84", "CGCS2000", "GCJ-02"/"amap"/"gaode",
     * "BD-09"/"baidu".
     */
    public static Crs parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("_", "-");
        switch (t) {
            case "WGS84", "WGS-84", "WGS 84" -> {
                return WGS84;
            }
            case "CGCS2000" -> {
                return epsg(4490);
            }
            case "GCJ-02", "GCJ02", "AMAP", "GAODE", "高德" -> {
                return gcj02();
            }
            case "BD-09", "BD09", "BAIDU", "百度" -> {
                return bd09();
            }
            default -> {
                String digits = t.startsWith("EPSG:") ? t.substring(5) : t;
                try {
                    return epsg(Integer.parseInt(digits.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unknown coordinate system '" + text
                            + "': give an EPSG code such as EPSG:4547, or GCJ-02 / BD-09");
                }
            }
        }
    }

    /** Reads a .prj file (WKT, usually ESRI flavour); see {@link #fromPrj(String)}. */
    public static Crs fromPrjFile(Path prj) throws IOException {
        return fromPrj(Files.readString(prj, StandardCharsets.ISO_8859_1));
    }

    /**
     * Recognises the coordinate system a .prj describes: by its EPSG authority when present, else by the names
     * ESRI and EPSG give CGCS2000 and its Gauss-Krüger zones, else by the parameters of a CGCS2000 transverse
     * Mercator. Throws IllegalArgumentException naming the system when it cannot tell.
     */
    public static Crs fromPrj(String wkt) {
        Matcher authority = EPSG_AUTHORITY.matcher(wkt);
        Integer lastCode = null;
        while (authority.find()) {
            lastCode = Integer.parseInt(authority.group(1)); // the top-level authority comes last in WKT1
        }
        if (lastCode != null && !wkt.trim().toUpperCase(Locale.ROOT).startsWith("PROJCRS")) {
            return epsg(lastCode);
        }
        Matcher nameMatcher = WKT_NAME.matcher(wkt);
        if (!nameMatcher.find()) {
            throw new IllegalArgumentException("the .prj is not WKT: give the EPSG code of the coordinate system");
        }
        boolean projected = nameMatcher.group(1).toUpperCase(Locale.ROOT).startsWith("PROJ");
        String name = nameMatcher.group(2);
        Integer byName = EpsgNames.codeForName(name, projected);
        if (byName != null) {
            return epsg(byName);
        }
        if (lastCode != null) {
            return epsg(lastCode);
        }
        Crs byParameters = EpsgNames.cgcs2000TransverseMercator(wkt);
        if (byParameters != null) {
            return byParameters;
        }
        throw new IllegalArgumentException("unrecognised coordinate system '" + name
                + "' in the .prj: give its EPSG code (e.g. EPSG:4547)");
    }

    static Crs fromProj4(String label, String proj4Parameters) {
        return new Crs(label, null, Kind.PROJ4J, CRS_FACTORY.createFromParameters(label, proj4Parameters));
    }

    public String name() {
        return name;
    }

    /** The EPSG code, or null for GCJ-02, BD-09 and systems recognised by their parameters only. */
    public Integer epsgCode() {
        return epsgCode;
    }

    /** True when coordinates are degrees (so lat/lon swaps can be detected before conversion). */
    public boolean isGeographic() {
        return kind != Kind.PROJ4J || source.getProjection().isGeographic();
    }

    public boolean isWgs84() {
        return kind == Kind.IDENTITY;
    }

    /** Converts one coordinate to WGS84 lon/lat. */
    public Coordinate toWgs84(double x, double y) {
        return switch (kind) {
            case IDENTITY -> new Coordinate(x, y);
            case GCJ02 -> ChineseMapOffsets.gcj02ToWgs84(x, y);
            case BD09 -> ChineseMapOffsets.bd09ToWgs84(x, y);
            case PROJ4J -> project(x, y);
        };
    }

    private synchronized Coordinate project(double x, double y) {
        if (transform == null) {
            transform = TRANSFORMS.createTransform(source, CRS_FACTORY.createFromName("EPSG:4326"));
        }
        ProjCoordinate out = transform.transform(new ProjCoordinate(x, y), new ProjCoordinate());
        return new Coordinate(out.x, out.y);
    }

    /** Returns a WGS84 copy of the geometry (SRID 4326); the argument is not changed. */
    public Geometry toWgs84(Geometry geometry) {
        Geometry copy = geometry.copy();
        if (kind != Kind.IDENTITY) {
            copy.apply(new CoordinateSequenceFilter() {
                @Override
                public void filter(CoordinateSequence seq, int i) {
                    Coordinate c = toWgs84(seq.getX(i), seq.getY(i));
                    seq.setOrdinate(i, 0, c.x);
                    seq.setOrdinate(i, 1, c.y);
                }

                @Override
                public boolean isDone() {
                    return false;
                }

                @Override
                public boolean isGeometryChanged() {
                    return true;
                }
            });
            copy.geometryChanged();
        }
        copy.setSRID(4326);
        return copy;
    }

    @Override
    public String toString() {
        return name;
    }
}
