package org.caregrid.importer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the names surveying bureaus' .prj files give CGCS2000 systems (ESRI and EPSG spellings) to EPSG codes.
 * The code ranges follow the EPSG registry: 4491–4501 6° zones 13–23, 4502–4512 6° CM 75E–135E,
 * 4513–4533 3° zones 25–45, 4534–4554 3° CM 75E–135E.
 */
final class EpsgNames {

    private static final Pattern THREE_DEGREE_CM = Pattern.compile("CGCS_?2000_3_DEGREE_G(?:AUSS_KRUGER|K)_CM_(\\d+)E");
    private static final Pattern THREE_DEGREE_ZONE = Pattern.compile("CGCS_?2000_3_DEGREE_G(?:AUSS_KRUGER|K)_ZONE_(\\d+)");
    private static final Pattern SIX_DEGREE_CM = Pattern.compile("CGCS_?2000_G(?:AUSS_KRUGER|K)_CM_(\\d+)E");
    private static final Pattern SIX_DEGREE_ZONE = Pattern.compile("CGCS_?2000_G(?:AUSS_KRUGER|K)_ZONE_(\\d+)");
    private static final Pattern PARAMETER = Pattern.compile(
            "PARAMETER\\s*\\[\\s*\"([^\"]+)\"\\s*,\\s*([-+0-9.eE]+)\\s*]", Pattern.CASE_INSENSITIVE);

    private EpsgNames() {
    }

    static String normalise(String name) {
        return name.toUpperCase(Locale.ROOT).replace('Ü', 'U').replaceAll("[^A-Z0-9]+", "_")
                .replaceAll("^_|_$", "");
    }

    static Integer codeForName(String name, boolean projected) {
        String n = normalise(name);
        if (projected) {
            Matcher m;
            if ((m = THREE_DEGREE_CM.matcher(n)).find()) {
                return inRange(4534, (Integer.parseInt(m.group(1)) - 75), 3, 20);
            }
            if ((m = THREE_DEGREE_ZONE.matcher(n)).find()) {
                return inRange(4513, Integer.parseInt(m.group(1)) - 25, 1, 20);
            }
            if ((m = SIX_DEGREE_CM.matcher(n)).find()) {
                return inRange(4502, Integer.parseInt(m.group(1)) - 75, 6, 10);
            }
            if ((m = SIX_DEGREE_ZONE.matcher(n)).find()) {
                return inRange(4491, Integer.parseInt(m.group(1)) - 13, 1, 10);
            }
            if (n.contains("WEB_MERCATOR") || n.contains("PSEUDO_MERCATOR")) {
                return 3857;
            }
            return null;
        }
        if (n.contains("CGCS2000") || n.contains("CGCS_2000") || n.contains("CHINA_GEODETIC_COORDINATE_SYSTEM_2000")
                || n.contains("CHINA_2000")) {
            return 4490;
        }
        if (n.contains("WGS_1984") || n.contains("WGS_84") || n.contains("WGS84")) {
            return 4326;
        }
        return null;
    }

    private static Integer inRange(int base, int offset, int step, int maxSteps) {
        if (offset < 0 || offset % step != 0 || offset / step > maxSteps) {
            return null;
        }
        return base + offset / step;
    }

    /** A CGCS2000 transverse Mercator with a name we don't know: build it from its parameters. */
    static Crs cgcs2000TransverseMercator(String wkt) {
        String upper = normalise(wkt);
        boolean cgcs = upper.contains("CGCS2000") || upper.contains("CHINA_2000")
                || upper.contains("CHINA_GEODETIC_COORDINATE_SYSTEM_2000");
        boolean transverseMercator = upper.contains("TRANSVERSE_MERCATOR") || upper.contains("GAUSS_KRUGER");
        if (!cgcs || !transverseMercator) {
            return null;
        }
        double centralMeridian = Double.NaN;
        double falseEasting = 500000;
        double falseNorthing = 0;
        double scale = 1;
        double latitudeOfOrigin = 0;
        Matcher m = PARAMETER.matcher(wkt);
        while (m.find()) {
            String key = normalise(m.group(1));
            double value = Double.parseDouble(m.group(2));
            switch (key) {
                case "CENTRAL_MERIDIAN", "LONGITUDE_OF_CENTER" -> centralMeridian = value;
                case "FALSE_EASTING" -> falseEasting = value;
                case "FALSE_NORTHING" -> falseNorthing = value;
                case "SCALE_FACTOR" -> scale = value;
                case "LATITUDE_OF_ORIGIN" -> latitudeOfOrigin = value;
                default -> { }
            }
        }
        if (Double.isNaN(centralMeridian)) {
            return null;
        }
        return Crs.fromProj4("CGCS2000 TM " + centralMeridian + "E", "+proj=tmerc +lat_0=" + latitudeOfOrigin
                + " +lon_0=" + centralMeridian + " +k=" + scale + " +x_0=" + falseEasting + " +y_0=" + falseNorthing
                + " +ellps=GRS80 +units=m +no_defs");
    }
}
