package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.importer.ImportError.Severity;
import org.caregrid.importer.RosterEntry.PersonRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rosters of heads and 包保 (楼栋长/单元长/包保责任人名册) read row by row, with Chinese or English headers. */
class RosterMappingTest {

    @TempDir
    Path dir;

    private static final String ID = TabularReaderTest.validId();

    private Path csv(String text) throws IOException {
        Path file = dir.resolve("名册.csv");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** Row numbers are the spreadsheet's: the header is row 1. */
    @Test
    void chineseHeadersGiveOneEntryPerRoleWithPersonsByPhoneTailOrIdNumber() throws IOException {
        Path file = csv("""
                小区,楼栋,单元,职务,姓名,手机尾号,身份证号,包保对象,包保对象电话,起始日期,截止日期
                阳光小区,3栋,,楼栋长,王志强,2222,,,,2026-01-01,
                阳光小区,三栋,1单元,单元长,张秀英,,%s,,,,2026/12/31
                ,,,包保责任人,王志强,13700002222,,李建国,1111,2026年3月1日,
                """.formatted(ID));
        ImportResult<RosterEntry> result = DataImporter.read(file, RecordKind.ASSIGNMENTS, ImportOptions.defaults());

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(
                new RosterEntry(2, AssignmentRole.BUILDING_HEAD, "3栋", "阳光小区", null,
                        new PersonRef("王志强", "2222", null), null, LocalDate.of(2026, 1, 1), null),
                new RosterEntry(3, AssignmentRole.UNIT_HEAD, "三栋", "阳光小区", "1单元",
                        new PersonRef("张秀英", null, ID), null, null, LocalDate.of(2026, 12, 31)),
                new RosterEntry(4, AssignmentRole.RESPONSIBLE, null, null, null,
                        new PersonRef("王志强", "2222", null), new PersonRef("李建国", "1111", null),
                        LocalDate.of(2026, 3, 1), null));
    }

    @Test
    void englishHeadersInAnXlsxReadTheSame() throws IOException {
        Path file = dir.resolve("roster.xlsx");
        try (XSSFWorkbook book = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = book.createSheet("roster");
            String[][] rows = {{"building", "unit", "role", "name", "phone", "validFrom"},
                    {"3号楼", "2", "unit_head", "李建国", "13900001111", "2026-02-01"}};
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            book.write(out);
        }
        assertThat(RecordKind.byName("assignment")).isSameAs(RecordKind.ASSIGNMENTS);
        ImportResult<RosterEntry> result = DataImporter.read(file, RecordKind.ASSIGNMENTS, ImportOptions.defaults());

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(new RosterEntry(2, AssignmentRole.UNIT_HEAD, "3号楼", null, "2",
                new PersonRef("李建国", "1111", null), null, LocalDate.of(2026, 2, 1), null));
    }

    @Test
    void eachBadRowIsRefusedNamingItsRowAndField() throws IOException {
        Path file = csv("""
                楼栋,单元,职务,姓名,电话,包保对象,包保对象电话,起始日期,截止日期
                3栋,,楼栋长,王志强,2222,,,,
                3栋,,保安,王志强,2222,,,,
                ,,楼栋长,王志强,2222,,,,
                3栋,,单元长,王志强,2222,,,,
                3栋,,楼栋长,王志强,,,,,
                3栋,,楼栋长,王志强,22,,,,
                ,,包保责任人,王志强,2222,,,,
                3栋,,楼栋长,王志强,2222,,,2026-05-01,2026-04-01
                3栋,,楼栋长,王志强,2222,,,,
                """);
        ImportResult<RosterEntry> result = DataImporter.read(file, RecordKind.ASSIGNMENTS, ImportOptions.defaults());

        assertThat(result.records()).hasSize(1);
        assertThat(result.errors()).extracting(ImportError::row, ImportError::field, ImportError::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3L, "职务", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(4L, "楼栋", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(5L, "单元", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(6L, "电话", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(7L, "电话", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(8L, "包保对象", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(9L, "截止日期", Severity.ERROR),
                        org.assertj.core.groups.Tuple.tuple(10L, "externalId", Severity.ERROR));
        assertThat(result.errors().get(0).reason()).startsWith("unknown role '保安'");
        assertThat(result.errors().get(7).reason()).isEqualTo("duplicate appointment '"
                + "building_head|null|3栋|null|王志强/2222/null|null' (first at row 2)");
    }

    @Test
    void aLineListedTwiceIsNamedWithItsIdNumberMasked() throws IOException {
        Path file = csv("""
                楼栋,单元,职务,姓名,身份证号
                3栋,,楼栋长,张秀英,%1$s
                3栋,,楼栋长,张秀英,%1$s
                """.formatted(ID));
        ImportResult<RosterEntry> result = DataImporter.read(file, RecordKind.ASSIGNMENTS, ImportOptions.defaults());

        assertThat(result.records()).hasSize(1);
        assertThat(result.errors()).extracting(ImportError::row, ImportError::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3L, "duplicate appointment 'building_head|null|3栋|null|张秀英/null/"
                        + IdNumbers.mask(ID) + "|null' (first at row 2)"));
        assertThat(result.errors().get(0).reason()).doesNotContain(ID).contains(ID.substring(ID.length() - 4));
    }
}
