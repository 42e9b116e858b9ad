package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.caregrid.importer.ImportError.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoJsonReaderTest {

    @TempDir
    Path dir;

    private static final String SQUARE = "[[[104.05,30.63],[104.051,30.63],[104.051,30.631],[104.05,30.631],[104.05,30.63]]]";
    private static final String BOW_TIE = "[[[104.05,30.63],[104.051,30.631],[104.051,30.63],[104.05,30.631],[104.05,30.63]]]";

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void featureCollectionOfBuildingsWithChineseFields() throws IOException {
        Path file = write("buildings.geojson", """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"编号":"B1","名称":"1栋","层数":6,"户数":24},"geometry":{"type":"Polygon","coordinates":%s}},
                 {"type":"Feature","properties":{"编号":"B2","名称":"2栋","层数":"7"},"geometry":{"type":"Polygon","coordinates":%s}}
                ]}""".formatted(SQUARE, SQUARE));
        ImportResult<Building> result = DataImporter.read(file, RecordKind.BUILDINGS, ImportOptions.defaults());
        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).hasSize(2);
        Building first = result.records().get(0);
        assertThat(first.externalId()).isEqualTo("B1");
        assertThat(first.name()).isEqualTo("1栋");
        assertThat(first.floors()).isEqualTo(6);
        assertThat(first.households()).isEqualTo(24);
        assertThat(first.householdsEstimated()).isFalse();
        assertThat(first.footprint().getSRID()).isEqualTo(4326);
        assertThat(first.source()).isEqualTo("buildings.geojson");
        Building second = result.records().get(1);
        assertThat(second.householdsEstimated()).isTrue();
        assertThat(second.households()).isGreaterThan(100); // ~ 100 m x 111 m x 7 floors / 90 m²
    }

    @Test
    void oldStyleCrsMemberNamesAGaussKrugerZone() throws IOException {
        Path file = write("gk.geojson", """
                {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4545"}},
                 "features":[{"type":"Feature","properties":{"name":"药店","kind":"pharmacy"},
                 "geometry":{"type":"Point","coordinates":[500000,3390000]}}]}""");
        ImportResult<Facility> result = DataImporter.read(file, RecordKind.FACILITIES, ImportOptions.defaults());
        assertThat(result.errors()).isEmpty();
        assertThat(result.records().get(0).location().getX()).isCloseTo(108.0,
                org.assertj.core.data.Offset.offset(1e-6)); // EPSG:4545 is CGCS2000 3-degree GK CM 108E
    }

    @Test
    void selfIntersectingPolygonIsRepairedWithAWarning() throws IOException {
        Path file = write("bowtie.geojson", """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"id":"G1"},"geometry":{"type":"Polygon","coordinates":%s}}]}
                """.formatted(BOW_TIE));
        ImportResult<Building> result = DataImporter.read(file, RecordKind.BUILDINGS, ImportOptions.defaults());
        assertThat(result.records()).hasSize(1);
        assertThat(result.records().get(0).footprint().isValid()).isTrue();
        assertThat(result.errors()).allSatisfy(e -> {
            assertThat(e.severity()).isEqualTo(Severity.WARNING);
            assertThat(e.row()).isEqualTo(1);
            assertThat(e.field()).isEqualTo("geometry");
        });
        assertThat(result.errors().get(0).reason()).contains("self-intersecting").contains("repaired");
    }

    @Test
    void truncatedFileGivesAFatalErrorWithItsPosition() throws IOException {
        Path file = write("cut.geojson", """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"id":"B1"},"geometry":{"type":"Polygon","coordinates":%s}},
                 {"type":"Feature","properties":{"id":"B2"},"geometry":{"type":"Polygon","coordinates":[[[104.05,30""".formatted(SQUARE));
        ImportResult<Building> result = DataImporter.read(file, RecordKind.BUILDINGS, ImportOptions.defaults());
        assertThat(result.isFatal()).isTrue();
        ImportError error = result.errors().get(result.errors().size() - 1);
        assertThat(error.file()).isEqualTo("cut.geojson");
        assertThat(error.row()).isEqualTo(2);
        assertThat(error.reason()).contains("truncated").contains("line 3").contains("feature 2");
    }

    @Test
    void duplicatesAndMissingRequiredFieldsAreRowErrors() throws IOException {
        Path file = write("dups.geojson", """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"code":"510107018001","name":"玉林北路社区"},"geometry":{"type":"Polygon","coordinates":%s}},
                 {"type":"Feature","properties":{"code":"510107018001","name":"重复"},"geometry":{"type":"Polygon","coordinates":%s}},
                 {"type":"Feature","properties":{"code":"510107018002"},"geometry":{"type":"Polygon","coordinates":%s}}
                ]}""".formatted(SQUARE, SQUARE, SQUARE));
        ImportResult<AdminArea> result = DataImporter.read(file, RecordKind.ADMIN_AREAS, ImportOptions.defaults());
        assertThat(result.records()).singleElement().satisfies(a -> {
            assertThat(a.level()).isEqualTo(AdminLevel.COMMUNITY);
            assertThat(a.parentCode()).isEqualTo("510107018000");
            assertThat(a.boundary().getNumGeometries()).isEqualTo(1);
        });
        assertThat(result.errors()).extracting(ImportError::row, ImportError::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, Severity.ERROR),
                org.assertj.core.groups.Tuple.tuple(3L, Severity.ERROR));
        assertThat(result.errors().get(0).reason()).contains("duplicate").contains("first at row 1");
        assertThat(result.errors().get(1).reason()).contains("missing required field name");
    }

    @Test
    void newlineDelimitedFacilitiesWithSwappedCoordinates() throws IOException {
        Path file = write("pharmacies.geojsonl", """
                {"type":"Feature","properties":{"id":"P1","name":"老百姓大药房","kind":"药店","opening_hours":"Mo-Su 08:00-22:00"},"geometry":{"type":"Point","coordinates":[104.06,30.64]}}
                {"type":"Feature","properties":{"id":"P2","name":"桐君阁","kind":"pharmacy"},"geometry":{"type":"Point","coordinates":[30.64,104.06]}}
                {"type":"Feature","properties":{"id":"P3","name":"坏行"
                """);
        ImportResult<Facility> result = DataImporter.read(file, RecordKind.FACILITIES, ImportOptions.defaults());
        assertThat(result.records()).hasSize(2);
        assertThat(result.records().get(0).kind()).isEqualTo(FacilityKind.PHARMACY);
        assertThat(result.records().get(0).openingHours()).isEqualTo("Mo-Su 08:00-22:00");
        assertThat(result.records().get(1).location().getX()).isEqualTo(104.06);
        assertThat(result.errors()).extracting(ImportError::row).containsExactly(2L, 3L);
        assertThat(result.errors().get(0).reason()).contains("swapped");
        assertThat(result.errors().get(1).reason()).contains("line 3");
    }
}
