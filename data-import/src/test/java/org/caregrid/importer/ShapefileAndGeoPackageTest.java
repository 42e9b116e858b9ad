package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.GeometryType;
import org.h2gis.functions.io.dbf.internal.DbaseFileHeader;
import org.h2gis.functions.io.shp.internal.SHPDriver;
import org.h2gis.functions.io.shp.internal.ShapeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKBWriter;

class ShapefileAndGeoPackageTest {

    private static final String CGCS2000_GK_CM_105E = "PROJCS[\"CGCS2000_3_Degree_GK_CM_105E\","
            + "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\","
            + "SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    @TempDir
    Path dir;

    private final GeometryFactory factory = new GeometryFactory();

    /** A square building 30 m wide in CGCS2000 GK CM 105E metres, near Chengdu (~ 104.06 E). */
    private MultiPolygon square(double x, double y) {
        Polygon polygon = factory.createPolygon(new Coordinate[] {new Coordinate(x, y), new Coordinate(x + 30, y),
                new Coordinate(x + 30, y + 30), new Coordinate(x, y + 30), new Coordinate(x, y)});
        return factory.createMultiPolygon(new Polygon[] {polygon});
    }

    private Path writeCp936Shapefile(String base, boolean withPrj, boolean withCpg) throws Exception {
        File shp = dir.resolve(base + ".shp").toFile();
        DbaseFileHeader header = new DbaseFileHeader();
        header.setEncoding("cp936");
        header.addColumn("BM", 'C', 20, 0);
        header.addColumn("MC", 'C', 60, 0);
        header.addColumn("CS", 'N', 4, 0);
        header.setNumRecords(2); // H2GIS's writer takes the record count up front, as its SHPWrite does
        SHPDriver driver = new SHPDriver();
        driver.initDriver(shp, ShapeType.POLYGON, header);
        driver.insertRow(new Object[] {square(409_000, 3_391_000), "5101070180010001", "玉林小区1栋", 6});
        driver.insertRow(new Object[] {square(409_100, 3_391_000), "5101070180010002", "芳草街2栋", 18});
        driver.close();
        if (withPrj) {
            Files.writeString(dir.resolve(base + ".prj"), CGCS2000_GK_CM_105E, StandardCharsets.ISO_8859_1);
        } else {
            Files.deleteIfExists(dir.resolve(base + ".prj"));
        }
        if (withCpg) {
            Files.writeString(dir.resolve(base + ".cpg"), "936", StandardCharsets.ISO_8859_1);
        } else {
            Files.deleteIfExists(dir.resolve(base + ".cpg"));
        }
        return shp.toPath();
    }

    @Test
    void cp936ShapefileInGaussKrugerKeepsChineseNamesAndLandsInChengdu() throws Exception {
        for (boolean cpg : new boolean[] {true, false}) {
            Path shp = writeCp936Shapefile("buildings" + cpg, true, cpg);
            FieldMapping mapping = FieldMapping.defaults().with(FieldMapping.EXTERNAL_ID, "BM")
                    .with(FieldMapping.NAME, "MC").with(FieldMapping.FLOORS, "CS");
            ImportResult<Building> result = DataImporter.read(shp, RecordKind.BUILDINGS,
                    ImportOptions.defaults().withMapping(mapping));
            assertThat(result.errors()).isEmpty();
            assertThat(result.records()).extracting(Building::name).containsExactly("玉林小区1栋", "芳草街2栋");
            Building first = result.records().get(0);
            assertThat(first.externalId()).isEqualTo("5101070180010001");
            assertThat(first.floors()).isEqualTo(6);
            assertThat(first.householdsEstimated()).isTrue();
            Coordinate centre = first.footprint().getCentroid().getCoordinate();
            assertThat(centre.x).isBetween(104.0, 104.1);
            assertThat(centre.y).isBetween(30.6, 30.7);
            assertThat(Geometries.areaSquareMetres(first.footprint())).isBetween(880.0, 920.0);
        }
    }

    @Test
    void shapefileWithoutPrjAsksForTheCoordinateSystem() throws Exception {
        Path shp = writeCp936Shapefile("noprj", false, true);
        ImportResult<Building> result = DataImporter.read(shp, RecordKind.BUILDINGS, ImportOptions.defaults());
        assertThat(result.isFatal()).isTrue();
        assertThat(result.records()).isEmpty();
        assertThat(result.errors().get(0).reason()).contains("no .prj").contains("give it").contains("EPSG:4547");

        ImportResult<Building> given = DataImporter.read(shp, RecordKind.BUILDINGS,
                ImportOptions.defaults().withCrs(Crs.parse("EPSG:4543"))
                        .withMapping(FieldMapping.defaults().with(FieldMapping.EXTERNAL_ID, "BM")));
        assertThat(given.errors()).isEmpty();
        assertThat(given.records()).hasSize(2);
    }

    @Test
    void geoPackageFeatureTable() throws Exception {
        File file = dir.resolve("grids.gpkg").toFile();
        GeoPackageManager.create(file);
        GeoPackage geoPackage = GeoPackageManager.open(file, true);
        try {
            GeometryColumns columns = new GeometryColumns();
            columns.setTableName("grids");
            columns.setColumnName("geom");
            columns.setGeometryType(GeometryType.POLYGON);
            columns.setSrsId(4326);
            columns.setZ((byte) 0);
            columns.setM((byte) 0);
            geoPackage.createFeatureTable(FeatureTableMetadata.create(columns, List.of(
                    FeatureColumn.createColumn("网格编码", GeoPackageDataType.TEXT),
                    FeatureColumn.createColumn("网格名称", GeoPackageDataType.TEXT))));
            FeatureDao dao = geoPackage.getFeatureDao("grids");
            Polygon polygon = factory.createPolygon(new Coordinate[] {new Coordinate(104.05, 30.63),
                    new Coordinate(104.06, 30.63), new Coordinate(104.06, 30.64), new Coordinate(104.05, 30.64),
                    new Coordinate(104.05, 30.63)});
            FeatureRow row = dao.newRow();
            row.setGeometry(GeoPackageGeometryData.createFromWkb(4326, new WKBWriter().write(polygon)));
            row.setValue("网格编码", "510107018001-01");
            row.setValue("网格名称", "第一网格");
            dao.insert(row);
        } finally {
            geoPackage.close();
        }
        ImportResult<Grid> result = DataImporter.read(file.toPath(), RecordKind.GRIDS, ImportOptions.defaults());
        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).singleElement().satisfies(g -> {
            assertThat(g.code()).isEqualTo("510107018001-01");
            assertThat(g.name()).isEqualTo("第一网格");
            assertThat(g.boundary().getEnvelopeInternal().getMinX()).isEqualTo(104.05);
        });
    }
}
