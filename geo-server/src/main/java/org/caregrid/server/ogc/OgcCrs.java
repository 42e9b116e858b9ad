package org.caregrid.server.ogc;

import java.util.Arrays;
import java.util.List;

import org.caregrid.server.web.ApiException;

/**
 * The coordinate reference systems of OGC API – Features Part 2 that caregrid serves. Data are stored in
 * WGS84 (SRID 4326) with longitude first: CRS84. EPSG:4326 and EPSG:4490 (CGCS2000) are latitude first, as
 * their EPSG definitions say; EPSG:3857 is easting, northing in metres.
 */
enum OgcCrs {

    CRS84("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, false, 7),
    EPSG_4326("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true, 7),
    EPSG_4490("http://www.opengis.net/def/crs/EPSG/0/4490", 4490, true, 7),
    EPSG_3857("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, false, 2);

    private final String uri;
    private final int srid;
    private final boolean latitudeFirst;
    private final int decimals;

    OgcCrs(String uri, int srid, boolean latitudeFirst, int decimals) {
        this.uri = uri;
        this.srid = srid;
        this.latitudeFirst = latitudeFirst;
        this.decimals = decimals;
    }

    String uri() {
        return uri;
    }

    int srid() {
        return srid;
    }

    boolean latitudeFirst() {
        return latitudeFirst;
    }

    /** Decimal places of coordinates: about 1 cm in degrees or in metres. */
    int decimals() {
        return decimals;
    }

    static List<String> uris() {
        return Arrays.stream(values()).map(OgcCrs::uri).toList();
    }

    /** A stored WGS84 geometry expression in this CRS, axes in its order. */
    String geometrySql(String column) {
        String transformed = srid == 4326 ? column : "ST_Transform(" + column + ", " + srid + ")";
        return latitudeFirst ? "ST_FlipCoordinates(" + transformed + ")" : transformed;
    }

    /** The CRS named by a {@code crs} or {@code bbox-crs} parameter (its URI, or the safe CURIE [EPSG:4326]); CRS84 when absent. */
    static OgcCrs parse(String value, String parameter) {
        if (value == null || value.isBlank()) {
            return CRS84;
        }
        String v = value.trim();
        for (OgcCrs crs : values()) {
            String curie = crs == CRS84 ? "[OGC:CRS84]" : "[EPSG:" + crs.srid + "]";
            if (crs.uri.equals(v) || curie.equalsIgnoreCase(v)) {
                return crs;
            }
        }
        throw ApiException.invalid(parameter, "error.ogc.crs", value, String.join(", ", uris()));
    }
}
