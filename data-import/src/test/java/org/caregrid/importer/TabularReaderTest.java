package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.importer.ImportError.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

class TabularReaderTest {

    @TempDir
    Path dir;

    private static final String RESIDENTS = """
            编号,姓名,电话,身份证号,楼栋,单元,房号,经度,纬度
            P1,张伟,13812345678,%s,3栋,1单元,101,104.0601,30.6402
            P2,"王, 秀英",13912345678,,3栋,2单元,202,,
            P3,李娜,12345,,,,,30.6405,104.0603
            P4,,13712345678,,3栋,1单元,301,,
            P5,赵磊,13612345678,,,,,,
            """.formatted(validId());

    static String validId() {
        String first17 = "51010719800101001";
        return first17 + IdNumbers.checkCharacter(first17);
    }

    private Path write(String name, String text, Charset charset, boolean bom) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (bom) {
                out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            out.write(text.getBytes(charset));
        }
        return file;
    }

    private void assertResidents(ImportResult<Person> result) {
        assertThat(result.records()).extracting(Person::externalId).containsExactly("P1", "P2", "P3");
        Person zhang = result.records().get(0);
        assertThat(zhang.name()).isEqualTo("张伟");
        assertThat(zhang.buildingRef()).isEqualTo("3栋");
        assertThat(zhang.unit()).isEqualTo("1单元");
        assertThat(zhang.room()).isEqualTo("101");
        assertThat(zhang.gender()).isEqualTo(Person.Gender.MALE);
        assertThat(zhang.birthDate()).isEqualTo(LocalDate.of(1980, 1, 1));
        assertThat(zhang.location().getX()).isEqualTo(104.0601);
        assertThat(result.records().get(1).name()).isEqualTo("王, 秀英");
        assertThat(result.records().get(1).location()).isNull();
        assertThat(result.records().get(2).location().getX()).isEqualTo(104.0603);
        assertThat(result.errors()).extracting(ImportError::row, ImportError::field, ImportError::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(4L, "经度", Severity.WARNING),
                        org.assertj.core.groups.Tuple.tuple(4L, "电话", Severity.WARNING),
                        org.assertj.core.groups.Tuple.tuple(5L, "姓名", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(6L, "楼栋", Severity.ERROR));
        assertThat(result.errors().get(0).reason()).contains("swapped");
    }

    @Test
    void gbkCsvKeepsItsChineseText() throws IOException {
        Path file = write("residents-gbk.csv", RESIDENTS.replace("\n", "\r\n"), Charset.forName("GBK"), false);
        assertThat(TextEncoding.detect(file).name()).isEqualTo("GB18030");
        assertResidents(DataImporter.read(file, RecordKind.PERSONS, ImportOptions.defaults()));
    }

    @Test
    void progressIsReportedWithTheFinalCount() throws IOException {
        StringBuilder csv = new StringBuilder("编号,姓名,楼栋\n");
        for (int i = 1; i <= 1200; i++) {
            csv.append("P").append(i).append(",居民").append(i).append(",1栋\n");
        }
        List<long[]> calls = new ArrayList<>();
        ImportResult<Person> result = DataImporter.read(write("many.csv", csv.toString(), StandardCharsets.UTF_8,
                false), RecordKind.PERSONS, ImportOptions.defaults().withProgress((read, total) ->
                calls.add(new long[] {read, total})));
        assertThat(result.records()).hasSize(1200);
        assertThat(result.rowsRead()).isEqualTo(1200);
        assertThat(calls).extracting(c -> c[0]).containsExactly(500L, 1000L, 1200L);
        assertThat(calls.get(calls.size() - 1)[1]).isEqualTo(1200L);
    }

    @Test
    void utf8CsvWithAndWithoutBom() throws IOException {
        assertResidents(DataImporter.read(write("bom.csv", RESIDENTS, StandardCharsets.UTF_8, true),
                RecordKind.PERSONS, ImportOptions.defaults()));
        assertResidents(DataImporter.read(write("plain.csv", RESIDENTS, StandardCharsets.UTF_8, false),
                RecordKind.PERSONS, ImportOptions.defaults()));
    }

    @Test
    void pointsOutsideTheDeclaredAreaAreWarnedAndGcjCoordinatesConverted() throws IOException {
        Path file = write("pharmacies.csv", """
                名称,类型,经度,纬度,营业时间
                A药房,药店,104.0601,30.6402,Mo-Su 08:00-22:00
                B诊所,诊所,104.5,30.6402,
                """, StandardCharsets.UTF_8, false);
        ImportOptions options = ImportOptions.defaults().withCrs(Crs.gcj02())
                .withDeclaredArea(new Envelope(104.0, 104.1, 30.6, 30.7));
        ImportResult<Facility> result = DataImporter.read(file, RecordKind.FACILITIES, options);
        assertThat(result.records()).hasSize(2);
        Facility a = result.records().get(0);
        assertThat(a.externalId()).isEqualTo("pharmacy:A药房");
        // GCJ-02 lies a few hundred metres off WGS84 in Chengdu: the converted point moved back by that much.
        double moved = Geometries.distanceMetres(a.location().getCoordinate(),
                new org.locationtech.jts.geom.Coordinate(104.0601, 30.6402));
        assertThat(moved).isBetween(100.0, 1000.0);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(3);
            assertThat(e.reason()).contains("outside the declared area");
        });
    }

    @Test
    void wktColumnCarriesPolygonsAndBadWktIsARowError() throws IOException {
        Path file = write("grids.csv", """
                网格编码,网格名称,所属社区,WKT
                G1,第一网格,510107001001,"POLYGON ((104.05 30.63, 104.06 30.63, 104.06 30.64, 104.05 30.64, 104.05 30.63))"
                G2,第二网格,510107001001,"POLYGON ((104.05 30.63, 104.06"
                """, StandardCharsets.UTF_8, false);
        ImportResult<Grid> result = DataImporter.read(file, RecordKind.GRIDS, ImportOptions.defaults());
        assertThat(result.records()).singleElement().satisfies(g -> {
            assertThat(g.code()).isEqualTo("G1");
            assertThat(g.communityCode()).isEqualTo("510107001001");
            assertThat(g.boundary().getArea()).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(3);
            assertThat(e.field()).isEqualTo("WKT");
            assertThat(e.reason()).contains("not valid WKT");
        });
    }

    @Test
    void mappingFileNamesUnusualColumns() throws IOException {
        Path mappingFile = dir.resolve("mapping.properties");
        Files.writeString(mappingFile, "phone = 联系方式\nexternalId = 人员ID\n", StandardCharsets.UTF_8);
        Path file = write("odd.csv", "人员ID\t姓名\t联系方式\t楼栋\nX9\t刘洋\t13800000000\t5栋\n",
                StandardCharsets.UTF_8, false);
        ImportResult<Person> result = DataImporter.read(file, RecordKind.PERSONS,
                ImportOptions.defaults().withMapping(FieldMapping.load(mappingFile)));
        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).singleElement().satisfies(p -> {
            assertThat(p.externalId()).isEqualTo("X9");
            assertThat(p.phone()).isEqualTo("13800000000");
        });
    }

    @Test
    void xlsxFormulaCellsAreEvaluatedOrReported() throws IOException {
        Path file = dir.resolve("key-persons.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = workbook.createSheet("重点人群");
            String[][] rows = {{"人员编号", "人员类别", "风险等级", "需求"}, {"P1", "独居老人、基础疾病患者", "高", "送药到户"},
                    {"P2", null, "低", "心理疏导"}, {"P3", "孕产妇", "中", ""}};
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < 4; c++) {
                    if (rows[r][c] != null) {
                        row.createCell(c).setCellValue(rows[r][c]);
                    }
                }
            }
            sheet.getRow(2).createCell(1).setCellFormula("\"空巢\"&\"老人\"");
            sheet.getRow(3).createCell(2).setCellFormula("1/0");
            workbook.write(out);
        }
        ImportResult<KeyPersonProfile> result = DataImporter.read(file, RecordKind.KEY_PERSONS,
                ImportOptions.defaults());
        assertThat(result.records()).hasSize(2);
        assertThat(result.records().get(0).categories())
                .containsExactlyInAnyOrder(KeyCategory.ELDERLY_ALONE, KeyCategory.CHRONIC_CONDITION);
        assertThat(result.records().get(0).riskLevel()).isEqualTo(RiskLevel.HIGH);
        assertThat(result.records().get(0).needs()).containsExactly(Need.MEDICINE_DELIVERY);
        assertThat(result.records().get(1).categories()).containsExactly(KeyCategory.ELDERLY_EMPTY_NEST);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(4);
            assertThat(e.field()).isEqualTo("风险等级");
            assertThat(e.reason()).contains("=1/0").contains("#DIV/0!");
        });
    }

    @Test
    void emptyXlsxSheetIsFatalAndNamesTheSheets() throws IOException {
        Path file = dir.resolve("empty.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            workbook.createSheet("Sheet1");
            workbook.createSheet("数据").createRow(0).createCell(0).setCellValue("姓名");
            workbook.write(out);
        }
        ImportResult<Person> result = DataImporter.read(file, RecordKind.PERSONS, ImportOptions.defaults());
        assertThat(result.isFatal()).isTrue();
        assertThat(result.errors().get(0).reason()).contains("'Sheet1' is empty").contains("数据");
    }

    @Test
    void unknownMappingFieldIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FieldMapping.of(Map.of("telephone", "x")))
                .hasMessageContaining("unknown caregrid field 'telephone'");
    }
}
