package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.importer.ImportError;
import org.caregrid.importer.ImportProgress;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.h2gis.functions.io.dbf.internal.DbaseFileHeader;
import org.h2gis.functions.io.shp.internal.SHPDriver;
import org.h2gis.functions.io.shp.internal.ShapeType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Files imported as jobs into a real PostGIS: good files land with their spatial joins, awkward ones are repaired
 * and say so, bad ones are refused with file, row, field and reason, and leave the database exactly as it was.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"caregrid.mode=test", "caregrid.imports.max-upload-size=64KB"})
@DirtiesContext // its own database: give its connections back for the classes after it
class ImportJobsTest extends ServerTest {

    /** Every table an import may write; import_job and audit_log are bookkeeping, not data. */
    private static final List<String> DATA_TABLES = List.of("admin_area", "grid", "compound", "building", "unit",
            "person", "key_person", "role_assignment", "volunteer", "facility", "micro_organisation", "visit",
            "delivery_request");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "import_jobs");
    }

    @Autowired
    ImportJobs jobs;

    @TempDir
    Path dir;

    /** One street, one community of two grids split at 104.01 E, south of Chengdu. */
    @BeforeAll
    void areas() {
        jdbc.sql("""
                INSERT INTO admin_area (code, level, name, parent_code, geom) VALUES
                  ('510100000000', 'city', '成都市', NULL, NULL),
                  ('510107000000', 'district', '武侯区', '510100000000', NULL),
                  ('510107001000', 'street', '测试街道', '510107000000',
                     ST_Multi(ST_MakeEnvelope(104.00, 30.60, 104.02, 30.62, 4326))),
                  ('510107001001', 'community', '测试社区', '510107001000',
                     ST_Multi(ST_MakeEnvelope(104.00, 30.60, 104.02, 30.62, 4326)));
                INSERT INTO grid (code, name, community_code, geom) VALUES
                  ('510107001001-01', '西网格', '510107001001', ST_Multi(ST_MakeEnvelope(104.00, 30.60, 104.01, 30.62, 4326))),
                  ('510107001001-02', '东网格', '510107001001', ST_Multi(ST_MakeEnvelope(104.01, 30.60, 104.02, 30.62, 4326)));
                """).update();
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", "510107001000", null, null);
    }

    @Test
    void gbkCsvOfPharmaciesKeepsChineseNamesAndFindsTheirGrid() throws Exception {
        Path csv = write("药店.csv", Charset.forName("GBK"), """
                编号,名称,类型,经度,纬度
                Y1,老百姓大药房(玉林店),pharmacy,104.005,30.61
                Y2,桐君阁大药房,药店,104.015,30.61
                """);
        ImportJobs.Outcome outcome = run(csv, "facilities", null);
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.succeeded()).isTrue();
        assertThat(jdbc.sql("""
                        SELECT f.name || '/' || g.code FROM facility f JOIN grid g ON g.id = f.grid_id
                         WHERE f.source = '药店.csv' ORDER BY f.external_id""").query(String.class).list())
                .containsExactly("老百姓大药房(玉林店)/510107001001-01", "桐君阁大药房/510107001001-02");
    }

    @Test
    void cp936ShapefileOfBuildingsInGaussKrugerLandsInItsGridsWithChineseNames() throws Exception {
        Path shp = shapefile("楼栋", true);
        ImportJobs.Outcome outcome = run(shp, "buildings", null, mapping("externalId = BM\nname = MC\nfloors = CS\n"));
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.counts()).containsEntry("building", 2L);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(jdbc.sql("""
                        SELECT b.name || '/' || b.floors || '/' || g.code || '/' || b.area_code FROM building b
                          JOIN grid g ON g.id = b.grid_id WHERE b.external_id LIKE '楼栋-%' ORDER BY b.external_id""")
                .query(String.class).list())
                .containsExactly("玉林小区1栋/6/510107001001-01/510107001001",
                        "芳草街2栋/18/510107001001-02/510107001001");
    }

    @Test
    void shapefileWithoutPrjIsRefusedAskingForTheCrsAndGivenOneImportsIntoTheGrids() throws Exception {
        Path shp = shapefile("noprj", false);
        String before = snapshot();
        ImportJobs.Outcome outcome = run(shp, "buildings", null, mapping("externalId = BM\n"));
        assertFailedUnchanged(outcome, before, "noprj.shp", 0, null, ".prj");
        assertThat(outcome.errors().get(0).reason()).contains("EPSG");

        ImportJobs.Outcome given = run(shp, "buildings", "EPSG:4544", mapping("externalId = BM\n"));
        assertThat(given.succeeded()).as(given.errors().toString()).isTrue();
        assertThat(given.counts()).containsEntry("building", 2L);
        assertThat(jdbc.sql("""
                        SELECT g.code FROM building b JOIN grid g ON g.id = b.grid_id
                         WHERE b.external_id LIKE 'noprj-%' ORDER BY b.external_id""").query(String.class).list())
                .containsExactly("510107001001-01", "510107001001-02");
    }

    @Test
    void truncatedGeoJsonIsRefusedNamingWhereItStops() throws Exception {
        Path file = write("cut.geojson", StandardCharsets.UTF_8, """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"id":"B1"},"geometry":{"type":"Polygon","coordinates":[[[104.001,30.601],[104.002,30.601],[104.002,30.602],[104.001,30.601]]]}},
                {"type":"Feature","properties":{"id":"B2"},"geometry":{"type":"Polygon","coordinates":[[[104.003,30.6""");
        String before = snapshot();
        ImportJobs.Outcome outcome = run(file, "buildings", null);
        assertFailedUnchanged(outcome, before, "cut.geojson", -1, null, "truncated");
    }

    @Test
    void csvRowWithSwappedCoordinatesIsSwappedBackAndReported() throws Exception {
        Path csv = write("swapped.csv", StandardCharsets.UTF_8, """
                id,name,kind,lon,lat
                S1,社区卫生服务中心,community_health_centre,104.005,30.605
                S2,诊所,clinic,30.606,104.006
                """);
        ImportJobs.Outcome outcome = run(csv, "facilities", null);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(ImportError.Severity.WARNING);
            assertThat(e.file()).isEqualTo("swapped.csv");
            assertThat(e.row()).isEqualTo(3);
            assertThat(e.reason()).containsIgnoringCase("swap");
        });
        assertThat(jdbc.sql("SELECT ST_X(location) || ',' || ST_Y(location) FROM facility WHERE external_id = 'S2'")
                .query(String.class).single()).isEqualTo("104.006,30.606");
    }

    @Test
    void selfIntersectingPolygonIsRepairedAndReported() throws Exception {
        // a bow tie: the ring crosses itself
        Path file = write("bowtie.geojson", StandardCharsets.UTF_8, """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"id":"BT1","name":"蝴蝶楼"},"geometry":{"type":"Polygon","coordinates":[[[104.001,30.601],[104.002,30.602],[104.002,30.601],[104.001,30.602],[104.001,30.601]]]}}]}
                """);
        ImportJobs.Outcome outcome = run(file, "buildings", null);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.errors()).allSatisfy(e -> {
            assertThat(e.severity()).isEqualTo(ImportError.Severity.WARNING);
            assertThat(e.row()).isEqualTo(1);
            assertThat(e.field()).isEqualTo("geometry");
        }).anySatisfy(e -> assertThat(e.reason()).contains("repaired"));
        assertThat(jdbc.sql("SELECT ST_IsValid(footprint) AND ST_Area(footprint) > 0 FROM building WHERE external_id = 'BT1'")
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void xlsxWithAFailingFormulaOrAnEmptySheetIsRefused() throws Exception {
        Path xlsx = dir.resolve("ledger.xlsx");
        try (XSSFWorkbook book = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            XSSFSheet sheet = book.createSheet("药店");
            String[][] rows = {{"id", "name", "kind", "lon", "lat"}, {"X1", "好药师", "pharmacy", "104.005", "30.605"}};
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            var bad = sheet.createRow(2);
            bad.createCell(0).setCellValue("X2");
            bad.createCell(1).setCellValue("除零药店");
            bad.createCell(2).setCellValue("pharmacy");
            bad.createCell(3).setCellFormula("1/0");
            bad.createCell(4).setCellValue(30.606);
            book.createSheet("空表");
            book.write(out);
        }
        String before = snapshot();
        ImportJobs.Outcome formula = run(xlsx, "facilities", null);
        assertFailedUnchanged(formula, before, "ledger.xlsx", 3, "lon", "1/0");

        ImportJobs.Outcome empty = jobs.run(jobs.create("facilities", "ledger.xlsx", null, "test"), xlsx, "ledger.xlsx",
                new ImportRequest("facilities", null, null, null), ImportProgress.NONE);
        assertThat(empty.succeeded()).isFalse();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void osmWayWithMissingNodesIsSkippedNamingTheWayAndTheRestLands() throws Exception {
        Path osm = write("cut.osm", StandardCharsets.UTF_8, """
                <?xml version="1.0" encoding="UTF-8"?>
                <osm version="0.6">
                  <node id="1" lat="30.601" lon="104.001"/>
                  <node id="2" lat="30.601" lon="104.002"/>
                  <node id="3" lat="30.602" lon="104.002"/>
                  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way>
                  <way id="11"><nd ref="1"/><nd ref="2"/><nd ref="99"/><nd ref="1"/><tag k="building" v="yes"/></way>
                </osm>
                """);
        ImportJobs.Outcome outcome = run(osm, "osm", null);
        assertThat(outcome.succeeded()).as(outcome.errors().toString()).isTrue();
        assertThat(outcome.counts()).containsEntry("building", 1L).containsEntry("skipped", 1L)
                .containsEntry("warnings", 1L);
        assertThat(outcome.errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(ImportError.Severity.WARNING);
            assertThat(e.file()).isEqualTo("cut.osm");
            assertThat(e.row()).isEqualTo(11);
            assertThat(e.reason()).contains("way 11 (building)", "node 99", "skipped");
        });
        assertThat(count("SELECT count(*) FROM building WHERE external_id IN ('osm:way/10', 'osm:way/11')"))
                .isEqualTo(1);
    }

    @Test
    void osmBuildingsAreWrittenOnceWithTheirCompoundGridAndCommunityAndAReImportChangesNothing() throws Exception {
        // a residential compound in the west grid holding building 9110 (its main entrance on the outline);
        // building 9120 stands alone in the east grid
        Path osm = write("estate.osm", StandardCharsets.UTF_8, """
                <?xml version="1.0" encoding="UTF-8"?>
                <osm version="0.6">
                  <node id="9101" lat="30.613" lon="104.003"/>
                  <node id="9102" lat="30.613" lon="104.008"/>
                  <node id="9103" lat="30.618" lon="104.008"/>
                  <node id="9104" lat="30.618" lon="104.003"/>
                  <node id="9111" lat="30.614" lon="104.004"/>
                  <node id="9112" lat="30.614" lon="104.005"/>
                  <node id="9113" lat="30.615" lon="104.005"><tag k="entrance" v="main"/></node>
                  <node id="9114" lat="30.615" lon="104.004"/>
                  <node id="9121" lat="30.614" lon="104.013"/>
                  <node id="9122" lat="30.614" lon="104.014"/>
                  <node id="9123" lat="30.615" lon="104.014"/>
                  <node id="9124" lat="30.615" lon="104.013"/>
                  <way id="9100"><nd ref="9101"/><nd ref="9102"/><nd ref="9103"/><nd ref="9104"/><nd ref="9101"/>
                    <tag k="landuse" v="residential"/><tag k="name" v="芳草小区"/></way>
                  <way id="9110"><nd ref="9111"/><nd ref="9112"/><nd ref="9113"/><nd ref="9114"/><nd ref="9111"/>
                    <tag k="building" v="apartments"/><tag k="building:flats" v="24"/></way>
                  <way id="9120"><nd ref="9121"/><nd ref="9122"/><nd ref="9123"/><nd ref="9124"/><nd ref="9121"/>
                    <tag k="building" v="apartments"/><tag k="building:flats" v="12"/></way>
                </osm>
                """);
        ImportJobs.Outcome first = run(osm, "osm", null);
        assertThat(first.succeeded()).as(first.errors().toString()).isTrue();
        // written once each: the insert already carries what the spatial join would have set afterwards
        assertThat(first.counts()).containsEntry("building", 2L).containsEntry("compound", 1L)
                .containsEntry("unit", 1L).containsEntry("changed.building", 2L).containsEntry("changed.unit", 1L);
        assertThat(jdbc.sql("""
                        SELECT b.external_id || '/' || coalesce(c.name, '-') || '/' || g.code || '/' || b.area_code
                               || '/' || b.households || '/' || ST_AsText(b.entrance)
                          FROM building b JOIN grid g ON g.id = b.grid_id LEFT JOIN compound c ON c.id = b.compound_id
                         WHERE b.external_id IN ('osm:way/9110', 'osm:way/9120') ORDER BY b.external_id""")
                .query(String.class).list())
                .containsExactly("osm:way/9110/芳草小区/510107001001-01/510107001001/24/POINT(104.005 30.615)",
                        "osm:way/9120/-/510107001001-02/510107001001/12/POINT(104.0135 30.6145)");

        String before = snapshot();
        ImportJobs.Outcome again = run(osm, "osm", null);
        assertThat(again.succeeded()).isTrue();
        assertThat(again.counts()).containsEntry("building", 2L).noneSatisfy((key, value) ->
                assertThat(key).startsWith("changed."));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void personsGetAHashedIdNumberTheirBuildingByAddressAndAOneNumberTwoPeopleFileIsRefused() throws Exception {
        run(write("b.geojson", StandardCharsets.UTF_8, """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"id":"HB1","name":"3栋"},"geometry":{"type":"Polygon","coordinates":[[[104.011,30.611],[104.012,30.611],[104.012,30.612],[104.011,30.612],[104.011,30.611]]]}}]}
                """), "buildings", null);
        // 11010519491231002X is the standard's worked example: a valid check digit
        Path persons = write("居民.csv", StandardCharsets.UTF_8, """
                编号,姓名,身份证号,楼栋,单元,房号,电话
                P1,王秀英,11010519491231002X,HB1,1,301,13812345678
                """);
        ImportJobs.Outcome ok = run(persons, "persons", null);
        assertThat(ok.succeeded()).as(ok.errors().toString()).isTrue();
        Map<String, Object> row = jdbc.sql("""
                        SELECT octet_length(p.id_number_hash) AS bytes, p.id_number_last4 AS last4, g.code AS grid,
                               b.external_id AS building, p.room, row_to_json(p)::text AS everything
                          FROM person p JOIN building b ON b.id = p.building_id JOIN grid g ON g.id = p.grid_id
                         WHERE p.external_id = 'P1'""").query().singleRow();
        assertThat(row).containsEntry("bytes", 32).containsEntry("last4", "002X")
                .containsEntry("grid", "510107001001-02").containsEntry("building", "HB1").containsEntry("room", "301");
        assertThat((String) row.get("everything")).doesNotContain("11010519491231");

        String before = snapshot();
        ImportJobs.Outcome twice = run(write("重复.csv", StandardCharsets.UTF_8, """
                编号,姓名,身份证号,楼栋
                P7,李四,11010519491231002X,HB1
                """), "persons", null);
        assertFailedUnchanged(twice, before, "重复.csv", 0, "idNumber", "one ID number for two people");
    }

    @Test
    void reImportingTheSameFileChangesNothing() throws Exception {
        Path csv = write("again.csv", StandardCharsets.UTF_8, """
                id,name,kind,lon,lat
                A1,仁和药房,pharmacy,104.001,30.601
                A2,一心堂,pharmacy,104.011,30.611
                """);
        assertThat(run(csv, "facilities", null).counts()).containsEntry("facility", 2L).containsKey("changed.facility");
        String before = snapshot();
        ImportJobs.Outcome again = run(csv, "facilities", null);
        assertThat(again.succeeded()).isTrue();
        assertThat(again.counts()).containsEntry("facility", 2L).doesNotContainKey("changed.facility");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void uploadsAreForAdministratorsRunInTheBackgroundAndTooLargeOnesGet413() throws Exception {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource("""
                id,name,kind,lon,lat
                U1,上传药房,pharmacy,104.002,30.602
                """.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "upload.csv";
            }
        });
        form.part("type", "facilities");
        client.post().uri("/api/imports").headers(h -> h.setBasicAuth("planner", org.caregrid.server.support.Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isForbidden();
        Map<String, Object> accepted = client.post().uri("/api/imports")
                .headers(h -> h.setBasicAuth("admin", org.caregrid.server.support.Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isAccepted()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        long id = ((Number) accepted.get("id")).longValue();
        Map<String, Object> job = Map.of();
        for (int i = 0; i < 100 && !"succeeded".equals(job.get("status")) && !"failed".equals(job.get("status")); i++) {
            Thread.sleep(100);
            job = get("admin", "/api/imports/" + id).exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        }
        assertThat(job).containsEntry("status", "succeeded").containsEntry("fileName", "upload.csv")
                .containsEntry("progress", 1.0);
        assertThat(((Map<?, ?>) job.get("counts")).get("facility")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM facility WHERE name = '上传药房'")).isEqualTo(1);

        String before = snapshot();
        MultipartBodyBuilder big = new MultipartBodyBuilder();
        big.part("file", new ByteArrayResource(new byte[100 * 1024]) {
            @Override
            public String getFilename() {
                return "big.csv";
            }
        });
        big.part("type", "facilities");
        client.post().uri("/api/imports").headers(h -> h.setBasicAuth("admin", org.caregrid.server.support.Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(big.build())).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody(String.class).value(body -> assertThat(body).contains("at most 0.1 MB", "max-upload-size"));
        assertThat(snapshot()).isEqualTo(before);
    }

    private ImportJobs.Outcome run(Path file, String type, String crs) {
        return run(file, type, crs, null);
    }

    private ImportJobs.Outcome run(Path file, String type, String crs, Path mapping) {
        String name = file.getFileName().toString();
        return jobs.run(jobs.create(type, name, crs, "test"), file, name, new ImportRequest(type, crs, mapping, null),
                ImportProgress.NONE);
    }

    /** The job failed, an error names file, row (-1: any), field and reason, and the data is as before. */
    private void assertFailedUnchanged(ImportJobs.Outcome outcome, String before, String file, long row, String field,
                                       String reason) {
        assertThat(outcome.succeeded()).as("job %s should fail", file).isFalse();
        assertThat(outcome.errors()).anySatisfy(e -> {
            assertThat(e.severity()).isNotEqualTo(ImportError.Severity.WARNING);
            assertThat(e.file()).isEqualTo(file);
            if (row >= 0) {
                assertThat(e.row()).isEqualTo(row);
            }
            if (field != null) {
                assertThat(e.field()).isEqualTo(field);
            }
            assertThat(e.reason()).contains(reason);
        });
        assertThat(snapshot()).isEqualTo(before);
        Map<String, Object> job = jobs.status(outcome.jobId());
        assertThat(job).containsEntry("status", "failed");
        assertThat((List<?>) job.get("errors")).isNotEmpty();
    }

    /** A fingerprint of every data table's rows. */
    private String snapshot() {
        StringBuilder all = new StringBuilder();
        for (String table : DATA_TABLES) {
            all.append(table).append(':').append(jdbc.sql("SELECT count(*) || '/' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "
                    + table + " t").query(String.class).single()).append('\n');
        }
        return all.toString();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private Path write(String name, Charset charset, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, charset);
        return file;
    }

    private Path mapping(String text) throws Exception {
        return write("mapping-" + System.nanoTime() + ".properties", StandardCharsets.UTF_8, text);
    }

    /** Two square buildings in CGCS2000 GK CM 105E (EPSG:4544) metres, one in each grid, names in cp936. */
    private Path shapefile(String base, boolean withPrj) throws Exception {
        File shp = dir.resolve(base + ".shp").toFile();
        DbaseFileHeader header = new DbaseFileHeader();
        header.setEncoding("cp936");
        header.addColumn("BM", 'C', 20, 0);
        header.addColumn("MC", 'C', 60, 0);
        header.addColumn("CS", 'N', 4, 0);
        header.setNumRecords(2);
        SHPDriver driver = new SHPDriver();
        driver.initDriver(shp, ShapeType.POLYGON, header);
        // south-west corners at 104.005 E and 104.015 E, 30.61 N: the squares lie in the west and the east grid
        driver.insertRow(new Object[] {square(gaussKruger(104.005, 30.61)), base + "-1", "玉林小区1栋", 6});
        driver.insertRow(new Object[] {square(gaussKruger(104.015, 30.61)), base + "-2", "芳草街2栋", 18});
        driver.close();
        if (withPrj) {
            Files.writeString(dir.resolve(base + ".prj"), "PROJCS[\"CGCS2000_3_Degree_GK_CM_105E\","
                    + "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\","
                    + "SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
                    + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],"
                    + "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
                    + "PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Scale_Factor\",1.0],"
                    + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]", StandardCharsets.ISO_8859_1);
        }
        Files.writeString(dir.resolve(base + ".cpg"), "936", StandardCharsets.ISO_8859_1);
        return shp.toPath();
    }

    private static ProjCoordinate gaussKruger(double lon, double lat) {
        CRSFactory crs = new CRSFactory();
        ProjCoordinate out = new ProjCoordinate();
        new CoordinateTransformFactory().createTransform(crs.createFromName("EPSG:4326"), crs.createFromName("EPSG:4544"))
                .transform(new ProjCoordinate(lon, lat), out);
        return out;
    }

    private static MultiPolygon square(ProjCoordinate corner) {
        double x = corner.x;
        double y = corner.y;
        GeometryFactory factory = new GeometryFactory();
        return factory.createMultiPolygon(new org.locationtech.jts.geom.Polygon[] {factory.createPolygon(new Coordinate[] {
                new Coordinate(x, y), new Coordinate(x + 30, y), new Coordinate(x + 30, y + 30),
                new Coordinate(x, y + 30), new Coordinate(x, y)})});
    }
}
