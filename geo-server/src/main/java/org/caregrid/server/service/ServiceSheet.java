package org.caregrid.server.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.server.web.Downloads;
import org.springframework.context.MessageSource;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The monthly volunteer-service subsidy sheet (志愿服务补贴表): per volunteer the days with service, hours,
 * kilometres and households from the service records, and the subsidy at the configured rates
 * (transport per km, a meal per day of service), each amount rounded half-up to the fen; the total row
 * adds the rows as printed, so that a spreadsheet's own sums agree with it. The caller's scope is
 * row-level security's: only volunteers whose person row the caller sees appear. Blocking: call on a
 * JDBC thread.
 */
@Component
class ServiceSheet {

    /** Which volunteers, by where they live: an area (code prefix) or one grid; neither means the whole scope. */
    record Place(String areaPrefix, Long gridId) {
    }

    /** One volunteer's month, or the total (personId and name null). Money in yuan, two decimals. */
    record Line(Long personId, String name, int days, int minutes, BigDecimal hours, BigDecimal km, int households,
                BigDecimal transport, BigDecimal meals, BigDecimal subsidy) {
    }

    record Rates(BigDecimal transportPerKm, BigDecimal mealPerDay) {
    }

    record Month(String month, LocalDate from, LocalDate to, Rates rates, List<Line> volunteers, Line total) {
    }

    private static final String PER_VOLUNTEER = """
            SELECT p.id, p.name, count(DISTINCT r.service_date)::int AS days, sum(r.minutes)::int AS minutes,
                   sum(round(r.distance_km::numeric, 2)) AS km, sum(r.households)::int AS households
              FROM service_record r JOIN person p ON p.id = r.volunteer_person_id
             WHERE r.service_date BETWEEN :from AND :to
               AND (CAST(:prefix AS text) IS NULL OR p.area_code LIKE CAST(:prefix AS text) || '%')
               AND (CAST(:grid AS bigint) IS NULL OR p.grid_id = CAST(:grid AS bigint))
             GROUP BY p.id, p.name
             ORDER BY p.name, p.id
            """;

    private static final String[] HEADERS = {"personId", "name", "days", "hours", "km", "households", "transport",
            "meals", "subsidy"};

    private final JdbcClient jdbc;
    private final SubsidyProperties rates;
    private final MessageSource messages;

    ServiceSheet(JdbcClient jdbc, SubsidyProperties rates, MessageSource messages) {
        this.jdbc = jdbc;
        this.rates = rates;
        this.messages = messages;
    }

    Month month(YearMonth month, Place place) {
        LocalDate from = month.atDay(1);
        LocalDate to = month.atEndOfMonth();
        List<Line> lines = jdbc.sql(PER_VOLUNTEER).param("from", from).param("to", to)
                .param("prefix", place.areaPrefix()).param("grid", place.gridId())
                .query((rs, n) -> line(rs.getLong("id"), rs.getString("name"), rs.getInt("days"), rs.getInt("minutes"),
                        rs.getBigDecimal("km"), rs.getInt("households")))
                .list();
        return new Month(month.toString(), from, to, new Rates(rates.transportPerKm(), rates.mealPerDay()), lines,
                total(lines));
    }

    private Line line(long personId, String name, int days, int minutes, BigDecimal km, int households) {
        BigDecimal hours = BigDecimal.valueOf(minutes).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP);
        BigDecimal distance = km.setScale(2, RoundingMode.HALF_UP);
        BigDecimal transport = money(distance.multiply(rates.transportPerKm()));
        BigDecimal meals = money(rates.mealPerDay().multiply(BigDecimal.valueOf(days)));
        return new Line(personId, name, days, minutes, hours, distance, households, transport, meals, transport.add(meals));
    }

    private static Line total(List<Line> lines) {
        BigDecimal zero = money(BigDecimal.ZERO);
        return new Line(null, null, lines.stream().mapToInt(Line::days).sum(), lines.stream().mapToInt(Line::minutes).sum(),
                lines.stream().map(Line::hours).reduce(zero, BigDecimal::add),
                lines.stream().map(Line::km).reduce(zero, BigDecimal::add),
                lines.stream().mapToInt(Line::households).sum(),
                lines.stream().map(Line::transport).reduce(zero, BigDecimal::add),
                lines.stream().map(Line::meals).reduce(zero, BigDecimal::add),
                lines.stream().map(Line::subsidy).reduce(zero, BigDecimal::add));
    }

    private static BigDecimal money(BigDecimal yuan) {
        return yuan.setScale(2, RoundingMode.HALF_UP);
    }

    /** The sheet as rows of text: a header in the caller's language, a row per volunteer, the total. */
    List<List<String>> rows(Month sheet, Locale locale) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(header(locale));
        for (Line l : sheet.volunteers()) {
            rows.add(cells(l, l.personId().toString(), l.name()));
        }
        rows.add(cells(sheet.total(), "", messages.getMessage("serviceReport.total", null, locale)));
        return rows;
    }

    /** One sheet; figures are numeric cells, so that Excel sums and sorts them. */
    ResponseEntity<byte[]> xlsx(Month sheet, String placeName, String fileName, Locale locale) {
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            Sheet s = book.createSheet(sheet.month());
            Row title = s.createRow(0);
            title.createCell(0).setCellValue(messages.getMessage("serviceReport.title", null, locale));
            title.createCell(1).setCellValue(sheet.month());
            title.createCell(2).setCellValue(placeName);
            List<String> header = header(locale);
            Row h = s.createRow(2);
            for (int c = 0; c < header.size(); c++) {
                h.createCell(c).setCellValue(header.get(c));
            }
            int r = 3;
            for (Line l : sheet.volunteers()) {
                Row row = s.createRow(r++);
                row.createCell(0).setCellValue(l.personId());
                row.createCell(1).setCellValue(l.name());
                figures(row, l);
            }
            Row total = s.createRow(r);
            total.createCell(1).setCellValue(messages.getMessage("serviceReport.total", null, locale));
            figures(total, sheet.total());
            return Downloads.xlsx(book, fileName + ".xlsx");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void figures(Row row, Line l) {
        row.createCell(2).setCellValue(l.days());
        row.createCell(3).setCellValue(l.hours().doubleValue());
        row.createCell(4).setCellValue(l.km().doubleValue());
        row.createCell(5).setCellValue(l.households());
        row.createCell(6).setCellValue(l.transport().doubleValue());
        row.createCell(7).setCellValue(l.meals().doubleValue());
        row.createCell(8).setCellValue(l.subsidy().doubleValue());
    }

    private List<String> header(Locale locale) {
        List<String> header = new ArrayList<>();
        for (String h : HEADERS) {
            header.add(messages.getMessage("serviceReport.header." + h, null, locale));
        }
        return header;
    }

    private static List<String> cells(Line l, String id, String name) {
        return List.of(id, name, Integer.toString(l.days()), l.hours().toPlainString(), l.km().toPlainString(),
                Integer.toString(l.households()), l.transport().toPlainString(), l.meals().toPlainString(),
                l.subsidy().toPlainString());
    }
}
