package org.caregrid.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.server.config.Today;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The monthly subsidy sheet and the service certificate on service records with known figures: two
 * volunteers of grid 1 over October and November 2026, at rates (0.85 yuan/km, 12.50 yuan/day) that
 * make the half-up rounding show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"caregrid.mode=test",
        "caregrid.subsidy.transport-per-km=0.85", "caregrid.subsidy.meal-per-day=12.50"})
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
class VolunteerServiceReportTest extends ServerTest {

    private static final String STREET = "510104020000";
    private static final String SCRIPT_NAME = "<script>alert(1)</script>李";
    private static final String OCTOBER = "/api/reports/volunteer-service?month=2026-10";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "volunteer_service_report");
    }

    @Autowired
    Today today;

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        jdbc.sql("""
                INSERT INTO person (id, name, building_id, area_code, grid_id) OVERRIDING SYSTEM VALUE
                VALUES (10, :name, 2, '510104020001', 1)
                """).param("name", SCRIPT_NAME).update();
        jdbc.sql("INSERT INTO volunteer (person_id, travel_mode, home) VALUES (10, 'foot', ST_SetSRID(ST_MakePoint(104.003, 30.003), 4326))")
                .update();
        // volunteer 3: two routes on 5 October (one day), one on 12 October, one in November
        record(3, "2026-10-05", 90, 3.25, 4);
        record(3, "2026-10-05", 45, 1.10, 2);
        record(3, "2026-10-12", 100, 4.70, 3);
        record(3, "2026-11-02", 60, 2.00, 2);
        // volunteer 10: one route in each month
        record(10, "2026-10-20", 50, 2.30, 1);
        record(10, "2026-11-03", 30, 1.00, 1);
        user("admin", "ADMIN", null, null, null);
        user("dispatcher", "DISPATCHER", STREET, null, null);
        user("grid_worker", "GRID_WORKER", null, 1L, null);
        user("grid_worker_2", "GRID_WORKER", null, 2L, null);
        user("planner", "PLANNER", STREET, null, null);
        user("volunteer", "VOLUNTEER", STREET, null, 3L);
    }

    private void record(long volunteer, String day, int minutes, double km, int households) {
        jdbc.sql("""
                INSERT INTO service_record (volunteer_person_id, service_date, kind, minutes, distance_km, households)
                VALUES (:v, CAST(:d AS date), 'delivery', :m, :km, :h)
                """).param("v", volunteer).param("d", day).param("m", minutes).param("km", km).param("h", households)
                .update();
    }

    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }



    @Test
    @SuppressWarnings("unchecked")
    void theMonthsSheetHasEachVolunteersFiguresAndTheSubsidyRoundedHalfUp() {
        Map<String, Object> sheet = json("dispatcher", OCTOBER);
        assertThat(sheet.get("month")).isEqualTo("2026-10");
        assertThat((List<Object>) sheet.get("volunteers")).hasSize(2);
        Map<String, Object> wang = sheetLine(sheet, 3);
        assertThat(wang.get("name")).isEqualTo("王志强");
        assertThat(wang.get("days")).isEqualTo(2);
        assertThat(wang.get("minutes")).isEqualTo(235);
        assertThat(money(wang.get("hours"))).isEqualTo("3.92");
        assertThat(money(wang.get("km"))).isEqualTo("9.05");
        assertThat(wang.get("households")).isEqualTo(9);
        // 9.05 km × 0.85 = 7.6925 → 7.69; 2 days × 12.50
        assertThat(money(wang.get("transport"))).isEqualTo("7.69");
        assertThat(money(wang.get("meals"))).isEqualTo("25.00");
        assertThat(money(wang.get("subsidy"))).isEqualTo("32.69");
        Map<String, Object> li = sheetLine(sheet, 10);
        assertThat(li.get("name")).isEqualTo(SCRIPT_NAME);
        assertThat(money(li.get("hours"))).isEqualTo("0.83");
        // 2.30 × 0.85 = 1.955 → 1.96 (half-up, where a double would give 1.95)
        assertThat(money(li.get("transport"))).isEqualTo("1.96");
        assertThat(money(li.get("subsidy"))).isEqualTo("14.46");
        Map<String, Object> total = (Map<String, Object>) sheet.get("total");
        assertThat(total.get("days")).isEqualTo(3);
        assertThat(money(total.get("hours"))).isEqualTo("4.75");
        assertThat(money(total.get("km"))).isEqualTo("11.35");
        assertThat(total.get("households")).isEqualTo(10);
        assertThat(money(total.get("transport"))).isEqualTo("9.65");
        assertThat(money(total.get("meals"))).isEqualTo("37.50");
        assertThat(money(total.get("subsidy"))).isEqualTo("47.15");
        assertThat(money(((Map<String, Object>) sheet.get("rates")).get("transportPerKm"))).isEqualTo("0.85");
        assertThat(jdbc.sql("""
                SELECT count(*) FROM audit_log WHERE username = 'dispatcher' AND purpose = 'report'
                   AND endpoint = 'GET /api/reports/volunteer-service' AND detail -> 'person_ids' @> '[3, 10]'
                """).query(Long.class).single()).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMonthFilterKeepsTheOtherMonthOut() {
        Map<String, Object> november = json("admin", "/api/reports/volunteer-service?month=2026-11&grid=1");
        Map<String, Object> wang = sheetLine(november, 3);
        assertThat(wang.get("days")).isEqualTo(1);
        assertThat(money(wang.get("hours"))).isEqualTo("1.00");
        assertThat(money(wang.get("km"))).isEqualTo("2.00");
        assertThat(money(wang.get("subsidy"))).isEqualTo("14.20");
        assertThat(money(((Map<String, Object>) november.get("total")).get("subsidy"))).isEqualTo("27.55");
        Map<String, Object> september = json("admin", "/api/reports/volunteer-service?month=2026-09");
        assertThat((List<Object>) september.get("volunteers")).isEmpty();
        assertThat(money(((Map<String, Object>) september.get("total")).get("subsidy"))).isEqualTo("0.00");
    }

    @Test
    void theXlsxSheetsFiguresAddUpToItsTotalRow() throws IOException {
        byte[] xlsx = get("grid_worker", OCTOBER + "&format=xlsx").exchange().expectStatus().isOk()
                .expectHeader().contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = book.getSheetAt(0);
            assertThat(sheet.getRow(2).getCell(1).getStringCellValue()).isEqualTo("姓名");
            assertThat(sheet.getRow(2).getCell(8).getStringCellValue()).isEqualTo("补贴合计（元）");
            Row total = sheet.getRow(5);
            assertThat(total.getCell(1).getStringCellValue()).isEqualTo("合计");
            for (int column = 2; column <= 8; column++) {
                double sum = sheet.getRow(3).getCell(column).getNumericCellValue() + sheet.getRow(4).getCell(column).getNumericCellValue();
                assertThat(sum).as("column %d", column).isCloseTo(total.getCell(column).getNumericCellValue(),
                        org.assertj.core.data.Offset.offset(0.001));
            }
            assertThat(total.getCell(8).getNumericCellValue()).isEqualTo(47.15);
            assertThat(total.getCell(4).getNumericCellValue()).isEqualTo(11.35);
            assertThat(total.getCell(3).getNumericCellValue()).isEqualTo(4.75);
        }
    }

    @Test
    void theCsvHasAHeaderInTheCallersLanguageARowPerVolunteerAndTheTotal() {
        byte[] csv = get("admin", OCTOBER + "&format=csv").header("Accept-Language", "en").exchange()
                .expectStatus().isOk().expectHeader().contentType("text/csv;charset=UTF-8")
                .expectBody(byte[].class).returnResult().getResponseBody();
        List<String> lines = new String(csv, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("\uFEFFVolunteer no.,Name,Days of service,Hours,Distance (km),"
                + "Households served,Transport (yuan),Meals (yuan),Subsidy (yuan)");
        assertThat(lines).contains("3,王志强,2,3.92,9.05,9,7.69,25.00,32.69",
                "10,<script>alert(1)</script>李,1,0.83,2.30,1,1.96,12.50,14.46");
        assertThat(lines.get(3)).isEqualTo(",Total,3,4.75,11.35,10,9.65,37.50,47.15");
        assertThat(lines).hasSize(4);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGridWorkerOfAnotherGridSeesNobodyAndPlannersAndVolunteersAreRefused() {
        Map<String, Object> other = json("grid_worker_2", OCTOBER);
        assertThat((List<Object>) other.get("volunteers")).isEmpty();
        assertThat(money(((Map<String, Object>) other.get("total")).get("subsidy"))).isEqualTo("0.00");
        get("grid_worker_2", "/api/volunteers/3/certificate?from=2026-10-01&to=2026-10-31").exchange()
                .expectStatus().isNotFound();
        // an area or grid outside the caller's scope does not exist for them, as in the coverage reports
        get("grid_worker_2", OCTOBER + "&area=510104020001").exchange().expectStatus().isNotFound();
        get("grid_worker_2", OCTOBER + "&grid=1").exchange().expectStatus().isNotFound();
        get("dispatcher", OCTOBER + "&area=510104000000").exchange().expectStatus().isNotFound();
        get("grid_worker_2", OCTOBER + "&grid=2").exchange().expectStatus().isOk();
        for (String refused : List.of("planner", "volunteer")) {
            get(refused, OCTOBER).exchange().expectStatus().isForbidden();
            get(refused, "/api/volunteers/3/certificate").exchange().expectStatus().isForbidden();
        }
    }

    @Test
    void aBadMonthOrFormatIsRefusedNamingTheField() {
        get("admin", "/api/reports/volunteer-service?month=2026-13").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("month")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("应为月份"));
        get("admin", "/api/reports/volunteer-service?month=October").header("Accept-Language", "en").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("month")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("must be a month like 2026-11"));
        get("admin", OCTOBER + "&format=pdf").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("format");
        get("admin", "/api/volunteers/3/certificate?from=2026-10-31&to=2026-10-01").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("from");
    }

    @Test
    void theCertificateCarriesTheExactFiguresAndEscapesNames() {
        String wang = get("grid_worker", "/api/volunteers/3/certificate?from=2026-10-01&to=2026-10-31").exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith("text/html")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(wang).contains("志愿服务证明", "@page{size:A4", "<strong id=\"name\">王志强</strong>",
                "<span id=\"days\">2</span>", "<span id=\"hours\">3.92</span>", "<span id=\"households\">9</span>",
                "在甲社区参加志愿服务", "<span id=\"issuer\">测试街道甲社区</span>",
                "<span id=\"number\">510104020001-3-20261001-20261031</span>",
                "<span id=\"issued\">" + today.date().format(DateTimeFormatter.ofPattern("yyyy年M月d日")) + "</span>",
                "2026年10月1日至2026年10月31日");
        String li = get("admin", "/api/volunteers/10/certificate?from=2026-10-01&to=2026-11-30").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(li).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;李",
                "<span id=\"days\">2</span>", "<span id=\"hours\">1.33</span>", "<span id=\"households\">2</span>");
        assertThat(jdbc.sql("""
                SELECT count(*) FROM audit_log WHERE username = 'admin' AND action = 'service_certificate'
                   AND person_id = 10 AND purpose = 'report'
                """).query(Long.class).single()).isEqualTo(1L);
    }
}
