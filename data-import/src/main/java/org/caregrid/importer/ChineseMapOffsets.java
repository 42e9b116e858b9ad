package org.caregrid.importer;

import org.locationtech.jts.geom.Coordinate;

/**
 * The obfuscated datums Chinese web maps use: GCJ-02 (Amap/高德, Tencent) and BD-09 (Baidu/百度).
 * The forward formulas are the published ones; the inverses are iterated to within 1e-9 degrees (millimetres),
 * because the usual one-step inverses are off by metres. Outside mainland China GCJ-02 equals WGS84.
 * All coordinates are x = longitude, y = latitude in degrees.
 */
public final class ChineseMapOffsets {

    private static final double KRASOVSKY_A = 6378245.0;
    private static final double KRASOVSKY_EE = 0.00669342162296594323;
    private static final double BD_X_PI = Math.PI * 3000.0 / 180.0;
    private static final double TOLERANCE_DEGREES = 1e-9;

    private ChineseMapOffsets() {
    }

    /** GCJ-02 applies only inside this rough box; elsewhere the maps show WGS84. */
    public static boolean isInsideChinaBox(double lon, double lat) {
        return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
    }

    public static Coordinate wgs84ToGcj02(double lon, double lat) {
        if (!isInsideChinaBox(lon, lat)) {
            return new Coordinate(lon, lat);
        }
        double x = lon - 105.0;
        double y = lat - 35.0;
        double dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
                + waves(x) + (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
                + (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        double dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
                + waves(x) + (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
                + (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        double radLat = lat / 180.0 * Math.PI;
        double magic = 1 - KRASOVSKY_EE * Math.sin(radLat) * Math.sin(radLat);
        double sqrtMagic = Math.sqrt(magic);
        dLat = dLat * 180.0 / ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (KRASOVSKY_A / sqrtMagic * Math.cos(radLat) * Math.PI);
        return new Coordinate(lon + dLon, lat + dLat);
    }

    private static double waves(double x) {
        return (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    }

    public static Coordinate gcj02ToWgs84(double lon, double lat) {
        return invert(lon, lat, ChineseMapOffsets::wgs84ToGcj02);
    }

    public static Coordinate gcj02ToBd09(double lon, double lat) {
        double z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BD_X_PI);
        double theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BD_X_PI);
        return new Coordinate(z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006);
    }

    public static Coordinate bd09ToGcj02(double lon, double lat) {
        return invert(lon, lat, ChineseMapOffsets::gcj02ToBd09);
    }

    public static Coordinate wgs84ToBd09(double lon, double lat) {
        Coordinate gcj = wgs84ToGcj02(lon, lat);
        return gcj02ToBd09(gcj.x, gcj.y);
    }

    public static Coordinate bd09ToWgs84(double lon, double lat) {
        Coordinate gcj = bd09ToGcj02(lon, lat);
        return gcj02ToWgs84(gcj.x, gcj.y);
    }

    private interface Forward {
        Coordinate apply(double lon, double lat);
    }

    /** Fixed-point iteration: the offsets vary slowly, so each step shrinks the error by orders of magnitude. */
    private static Coordinate invert(double lon, double lat, Forward forward) {
        double x = lon;
        double y = lat;
        for (int i = 0; i < 30; i++) {
            Coordinate image = forward.apply(x, y);
            double dx = image.x - lon;
            double dy = image.y - lat;
            x -= dx;
            y -= dy;
            if (Math.abs(dx) < TOLERANCE_DEGREES && Math.abs(dy) < TOLERANCE_DEGREES) {
                break;
            }
        }
        return new Coordinate(x, y);
    }
}
