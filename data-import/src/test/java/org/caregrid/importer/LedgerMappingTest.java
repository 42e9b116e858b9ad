package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.importer.RosterEntry.PersonRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Visit ledgers (走访台账) read row by row: the dates and methods real ledgers write, Chinese or English headers. */
class LedgerMappingTest {

    @TempDir
    Path dir;

    private static final String ID = TabularReaderTest.validId();
    private static final PersonRef LI = new PersonRef("李建国", "1111", null);
    private static final PersonRef WANG = new PersonRef("王志强", "2222", null);

    private ImportResult<LedgerEntry> read(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        return DataImporter.read(file, RecordKind.VISITS, ImportOptions.defaults());
    }

    @Test
    void chineseHeadersReadEveryDateFormatAndMethodLabelOfRealLedgers() throws IOException {
        ImportResult<LedgerEntry> result = read("台账.csv", """
                姓名,手机尾号,身份证号,楼栋,走访日期,走访方式,走访人,走访人电话,走访情况,发现需求
                李建国,1111,,2号楼,2026-11-05,上门走访,王志强,13700002222,身体尚可,送药到户、陪护照看
                李建国,1111,,,2026/11/5 9:05,电话随访,,,,
                李建国,1111,,,2026年11月5日,视频,,,,
                李建国,1111,,,2026年11月6日14时30分,微信,,,,
                ,,%s,,20261107,短信,,,,
                李建国,1111,,,2026-11-08T10:15:30+08:00,door,,,,psychological_support
                李建国,1111,,,46334.5,Phone,,,,
                """.formatted(ID));

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).extracting(LedgerEntry::row, LedgerEntry::person, LedgerEntry::visitedAt,
                LedgerEntry::offset, LedgerEntry::method).containsExactly(
                tuple(2L, LI, LocalDateTime.of(2026, 11, 5, 0, 0), null, VisitMethod.DOOR),
                tuple(3L, LI, LocalDateTime.of(2026, 11, 5, 9, 5), null, VisitMethod.PHONE),
                tuple(4L, LI, LocalDateTime.of(2026, 11, 5, 0, 0), null, VisitMethod.WECHAT),
                tuple(5L, LI, LocalDateTime.of(2026, 11, 6, 14, 30), null, VisitMethod.WECHAT),
                tuple(6L, new PersonRef(null, null, ID), LocalDateTime.of(2026, 11, 7, 0, 0), null, VisitMethod.SMS),
                tuple(7L, LI, LocalDateTime.of(2026, 11, 8, 10, 15, 30), ZoneOffset.ofHours(8), VisitMethod.DOOR),
                // an Excel serial: 46334 is 2026-11-08, .5 is noon
                tuple(8L, LI, LocalDateTime.of(2026, 11, 8, 12, 0), null, VisitMethod.PHONE));
        LedgerEntry first = result.records().get(0);
        assertThat(first.building()).isEqualTo("2号楼");
        assertThat(first.visitor()).isEqualTo(WANG);
        assertThat(first.findings()).isEqualTo("身体尚可");
        assertThat(first.needs()).isEqualTo(EnumSet.of(Need.MEDICINE_DELIVERY, Need.COMPANIONSHIP));
        assertThat(result.records().get(1).visitor()).isNull();
        assertThat(result.records().get(5).needs()).isEqualTo(Set.of(Need.PSYCHOLOGICAL_SUPPORT));
    }

    @Test
    void englishHeadersInAnXlsxWithDateAndDateTimeCellsReadTheSame() throws IOException {
        Path file = dir.resolve("ledger.xlsx");
        try (XSSFWorkbook book = new XSSFWorkbook(); var out = Files.newOutputStream(file)) {
            Sheet sheet = book.createSheet("ledger");
            CellStyle dateStyle = book.createCellStyle();
            dateStyle.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm"));
            String[] header = {"name", "phone", "date", "method", "visitor", "visitorPhone", "findings", "needs"};
            var top = sheet.createRow(0);
            for (int c = 0; c < header.length; c++) {
                top.createCell(c).setCellValue(header[c]);
            }
            LocalDateTime[] when = {LocalDateTime.of(2026, 11, 5, 0, 0), LocalDateTime.of(2026, 11, 6, 16, 45)};
            for (int r = 0; r < when.length; r++) {
                var row = sheet.createRow(r + 1);
                row.createCell(0).setCellValue("李建国");
                row.createCell(1).setCellValue(13900001111d);
                var date = row.createCell(2);
                date.setCellValue(when[r]);
                date.setCellStyle(dateStyle);
                row.createCell(3).setCellValue(r == 0 ? "home visit" : "电话");
                row.createCell(4).setCellValue("王志强");
                row.createCell(5).setCellValue("2222");
                row.createCell(6).setCellValue("ok");
                row.createCell(7).setCellValue("meal_ordering");
            }
            book.write(out);
        }
        assertThat(RecordKind.byName("visit")).isSameAs(RecordKind.VISITS);
        ImportResult<LedgerEntry> result = DataImporter.read(file, RecordKind.VISITS, ImportOptions.defaults());

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(
                new LedgerEntry(2, LI, null, LocalDateTime.of(2026, 11, 5, 0, 0), null, VisitMethod.DOOR, WANG, "ok",
                        Set.of(Need.MEAL_ORDERING)),
                new LedgerEntry(3, LI, null, LocalDateTime.of(2026, 11, 6, 16, 45), null, VisitMethod.PHONE, WANG,
                        "ok", Set.of(Need.MEAL_ORDERING)));
    }

    @Test
    void eachBadRowIsRefusedNamingItsRowAndField() throws IOException {
        ImportResult<LedgerEntry> result = read("台账.csv", """
                姓名,电话,走访日期,走访方式,走访人,走访人电话,发现需求
                李建国,1111,2026-11-05,上门,,,
                李建国,1111,2026-11-05,问卷,,,
                李建国,1111,11/05/2026,上门,,,
                李建国,1111,2026-02-30,上门,,,
                李建国,,2026-11-05,上门,,,
                李建国,1111,,上门,,,
                李建国,1111,2026-11-06,上门,王志强,,
                李建国,1111,2026-11-06,上门,,,理发
                李建国,1111,2026-11-05,上门,,,
                """);

        assertThat(result.records()).hasSize(1);
        assertThat(result.errors()).extracting(ImportError::row, ImportError::field).containsExactly(
                tuple(3L, "走访方式"), tuple(4L, "走访日期"), tuple(5L, "走访日期"), tuple(6L, "电话"),
                tuple(7L, "走访日期"), tuple(8L, "走访人电话"), tuple(9L, "发现需求"), tuple(10L, "externalId"));
        assertThat(result.errors()).extracting(ImportError::reason).element(0).asString()
                .startsWith("unknown method '问卷'");
        assertThat(result.errors().get(7).reason())
                .isEqualTo("duplicate visit '李建国 (…1111) 2026-11-05T00:00 door' (first at row 2)");
    }

    @Test
    void methodLabelsMapToTheVisitTableCodes() {
        assertThat(VisitMethod.fromLabel("入户走访")).isEqualTo(VisitMethod.DOOR);
        assertThat(VisitMethod.fromLabel("微信电话")).isEqualTo(VisitMethod.WECHAT);
        assertThat(VisitMethod.fromLabel("视频通话")).isEqualTo(VisitMethod.WECHAT);
        assertThat(VisitMethod.fromLabel("电话沟通")).isEqualTo(VisitMethod.PHONE);
        assertThat(VisitMethod.fromLabel("短信交流")).isEqualTo(VisitMethod.SMS);
        assertThat(VisitMethod.fromLabel("SMS")).isEqualTo(VisitMethod.SMS);
        assertThat(VisitMethod.fromLabel("问卷")).isNull();
    }
}
