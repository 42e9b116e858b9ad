package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.proj4j.CRSFactory;

class CrsTest {

    private static final double[][] CHINESE_PLACES = {
            {104.0657, 30.6595}, {116.3975, 39.9087}, {121.4737, 31.2304}, {87.6168, 43.8256},
            {126.6425, 45.7570}, {109.5120, 18.2528}, {91.1172, 29.6469}, {113.2644, 23.1291}};

    @Test
    void gcj02RoundTripIsWithinHalfAMetreAndTheOffsetIsHundredsOfMetres() {
        for (double[] p : CHINESE_PLACES) {
            for (double d = -0.05; d <= 0.05; d += 0.025) {
                Coordinate wgs = new Coordinate(p[0] + d, p[1] - d);
                Coordinate gcj = ChineseMapOffsets.wgs84ToGcj02(wgs.x, wgs.y);
                assertThat(Geometries.distanceMetres(wgs, gcj)).isBetween(50.0, 1000.0);
                Coordinate back = Crs.gcj02().toWgs84(gcj.x, gcj.y);
                assertThat(Geometries.distanceMetres(wgs, back)).isLessThan(0.5);
            }
        }
    }

    @Test
    void bd09RoundTripIsWithinHalfAMetre() {
        for (double[] p : CHINESE_PLACES) {
            Coordinate wgs = new Coordinate(p[0], p[1]);
            Coordinate bd = ChineseMapOffsets.wgs84ToBd09(wgs.x, wgs.y);
            assertThat(Geometries.distanceMetres(wgs, bd)).isBetween(100.0, 2000.0);
            Coordinate back = Crs.parse("BD-09").toWgs84(bd.x, bd.y);
            assertThat(Geometries.distanceMetres(wgs, back)).isLessThan(0.5);
            Coordinate gcj = ChineseMapOffsets.bd09ToGcj02(bd.x, bd.y);
            assertThat(Geometries.distanceMetres(ChineseMapOffsets.wgs84ToGcj02(wgs.x, wgs.y), gcj))
                    .isLessThan(0.5);
        }
    }

    @Test
    void gcj02IsWgs84OutsideChina() {
        Coordinate monaco = ChineseMapOffsets.wgs84ToGcj02(7.42, 43.73);
        assertThat(monaco.x).isEqualTo(7.42);
        assertThat(monaco.y).isEqualTo(43.73);
    }

    @Test
    void esriNamesOfEveryCgcs2000GaussKrugerZoneMapToTheEpsgCodeWithThatCentralMeridian() {
        CRSFactory factory = new CRSFactory();
        for (int cm = 75; cm <= 135; cm += 3) {
            int code = EpsgNames.codeForName("CGCS2000_3_Degree_GK_CM_" + cm + "E", true);
            assertThat(factory.createFromName("EPSG:" + code).getParameterString()).contains("+lon_0=" + cm + " ")
                    .contains("+x_0=500000 ");
            int zone = cm / 3;
            int zoneCode = EpsgNames.codeForName("CGCS2000 / 3-degree Gauss-Kruger zone " + zone, true);
            assertThat(factory.createFromName("EPSG:" + zoneCode).getParameterString())
                    .contains("+lon_0=" + cm + " ").contains("+x_0=" + zone + "500000 ");
        }
        for (int cm = 75; cm <= 135; cm += 6) {
            int code = EpsgNames.codeForName("CGCS2000_GK_CM_" + cm + "E", true);
            assertThat(factory.createFromName("EPSG:" + code).getParameterString()).contains("+lon_0=" + cm + " ");
            int zone = (cm + 3) / 6;
            int zoneCode = EpsgNames.codeForName("CGCS2000_GK_Zone_" + zone, true);
            assertThat(factory.createFromName("EPSG:" + zoneCode).getParameterString())
                    .contains("+lon_0=" + cm + " ").contains("+x_0=" + zone + "500000 ");
        }
        assertThat(EpsgNames.codeForName("CGCS2000 / 3-degree Gauss-Krüger CM 114E", true)).isEqualTo(4547);
    }

    @Test
    void esriPrjOfAGaussKrugerZoneConvertsItsCentralMeridianToThatLongitude() {
        String prj = "PROJCS[\"CGCS2000_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
                + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
                + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\","
                + "500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",114.0],"
                + "PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
        Crs crs = Crs.fromPrj(prj);
        assertThat(crs.epsgCode()).isEqualTo(4547);
        assertThat(crs.isGeographic()).isFalse();
        Coordinate c = crs.toWgs84(500000, 3_400_000);
        assertThat(c.x).isCloseTo(114.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.y).isBetween(30.6, 30.8);
    }

    @Test
    void unknownNameIsRecognisedFromCgcs2000TransverseMercatorParameters() {
        String prj = "PROJCS[\"my_local_grid\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
                + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]]],"
                + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],"
                + "PARAMETER[\"Central_Meridian\",104.0],PARAMETER[\"Scale_Factor\",1.0],UNIT[\"Meter\",1.0]]";
        Coordinate c = Crs.fromPrj(prj).toWgs84(500000, 3_390_000);
        assertThat(c.x).isCloseTo(104.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void geographicPrjsAndEpsgAuthorities() {
        assertThat(Crs.fromPrj("GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\","
                + "SPHEROID[\"CGCS2000\",6378137.0,298.257222101]]]").epsgCode()).isEqualTo(4490);
        assertThat(Crs.fromPrj("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]").isWgs84()).isTrue();
        assertThat(Crs.fromPrj("PROJCS[\"x\",GEOGCS[\"y\",AUTHORITY[\"EPSG\",\"4490\"]],AUTHORITY[\"EPSG\",\"4545\"]]")
                .epsgCode()).isEqualTo(4545);
        assertThat(Crs.parse("EPSG:4549").epsgCode()).isEqualTo(4549);
        assertThatThrownBy(() -> Crs.fromPrj("PROJCS[\"Xian_1980_3_Degree_GK_CM_114E\"]"))
                .hasMessageContaining("Xian_1980").hasMessageContaining("EPSG");
    }
}
