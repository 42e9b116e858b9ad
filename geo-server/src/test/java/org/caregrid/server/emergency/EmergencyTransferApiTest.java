package org.caregrid.server.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.caregrid.routing.Place;
import org.caregrid.routing.Route;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The emergency transfer (急诊转运) on the real Monaco road network and the Monaco fixture, with hospitals
 * placed so that the answer is known: from rue des Orangers 2 (grid 1) the nearest hospital has no
 * obstetrics, a nearer one with obstetrics takes no emergencies, so a pregnant woman goes to the one in
 * Monte Carlo (grid 2, outside the grid worker's scope). Distances and times are the routing library's
 * own car route on the same graph.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class EmergencyTransferApiTest extends ServerTest {

    private static final long GENERAL = 201;
    private static final long MONTE_CARLO_MATERNITY = 203;
    private static final long PREGNANT = 20;
    private static final long CHILD = 21;
    private static final Place ORANGERS = new Place("home", 43.7335118, 7.4203302);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MonacoRoads.register(registry, "emergency");
    }

    @Autowired
    RoutingService routing;

    @BeforeAll
    void loadFixture() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        // at the Marsan and Fontvieille pharmacies (grid 1) and the des Moulins pharmacy (grid 2): on car roads
        jdbc.sql("""
                INSERT INTO facility (id, kind, name, area_code, grid_id, location, specialities, emergency)
                OVERRIDING SYSTEM VALUE VALUES
                  (201, 'hospital', '格里马尔迪综合医院', '990101001001', 1,
                   ST_SetSRID(ST_MakePoint(7.4189251, 43.7328854), 4326), '{cardiology}', true),
                  (202, 'hospital', '丰维耶妇产诊所', '990101001001', 1,
                   ST_SetSRID(ST_MakePoint(7.4168751, 43.7301499), 4326), '{obstetrics,gynaecology}', false),
                  (203, 'hospital', '蒙特卡洛妇产医院', '990101001002', 2,
                   ST_SetSRID(ST_MakePoint(7.4284058, 43.7436280), 4326), '{obstetrics}', true)
                """).update();
        jdbc.sql("""
                INSERT INTO person (id, name, phone, building_id, room, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (20, '吴孕妇', '13800000020', 1, '601', '990101001001', 1),
                  (21, '郑小童', '13800000021', 1, '602', '990101001001', 1)
                """).update();
        jdbc.sql("""
                INSERT INTO key_person (person_id, categories, risk_level, needs, registered_on) VALUES
                  (20, ARRAY['pregnant_postpartum'], 'high', ARRAY['medical_referral'], DATE '2026-01-01'),
                  (21, ARRAY['child_left_behind'], 'medium', '{}', DATE '2026-01-01')
                """).update();
        user("admin", "ADMIN", null, null, null);
        user("grid_worker", "GRID_WORKER", null, 1L, 9L);
        user("dispatcher", "DISPATCHER", "990101001000", null, null);
        user("planner", "PLANNER", "990101001000", null, null);
        user("volunteer", "VOLUNTEER", null, 1L, 7L);
        MonacoRoads.awaitReady(routing);
    }

    @Test
    void aPregnantWomanSkipsTheNearerHospitalWithoutObstetricsAndLeavesTheGrid() {
        Map<String, Object> answer = json("grid_worker", "/api/emergency/hospital?personId=" + PREGNANT);
        Map<String, Object> hospital = map(answer.get("hospital"));
        assertThat(((Number) hospital.get("id")).longValue()).isEqualTo(MONTE_CARLO_MATERNITY);
        assertThat(hospital.get("name")).isEqualTo("蒙特卡洛妇产医院");
        assertThat(answer.get("needs")).isEqualTo(List.of("emergency", "obstetrics"));
        assertThat(answer.get("candidates")).isEqualTo(1);

        Route direct = carRoute(43.7436280, 7.4284058);
        assertThat((Double) answer.get("distanceMeters")).isEqualTo(direct.distanceMeters());
        assertThat((Double) answer.get("durationSeconds")).isEqualTo(direct.timeMillis() / 1000.0);
        // about 1.7 km as the crow flies: the car route is longer but stays within the city
        assertThat(direct.distanceMeters()).isBetween(1700.0, 6000.0);
        assertThat(direct.timeMillis() / 1000.0).isBetween(60.0, 900.0);
        Map<String, Object> route = map(answer.get("route"));
        assertThat(route.get("type")).isEqualTo("LineString");
        assertThat((List<?>) route.get("coordinates")).hasSize(direct.geometry().getNumPoints());
    }

    @Test
    void anyoneElseGoesToTheQuickestHospitalWithAnEmergencyDepartment() {
        Map<String, Object> answer = json("grid_worker", "/api/emergency/hospital?personId=1");
        assertThat(((Number) map(answer.get("hospital")).get("id")).longValue()).isEqualTo(GENERAL);
        assertThat(answer.get("needs")).isEqualTo(List.of("emergency"));
        // both emergency hospitals were routed to; the general one next door is quicker than Monte Carlo
        assertThat(answer.get("candidates")).isEqualTo(2);
        Route general = carRoute(43.7328854, 7.4189251);
        Route monteCarlo = carRoute(43.7436280, 7.4284058);
        assertThat((Double) answer.get("durationSeconds")).isEqualTo(general.timeMillis() / 1000.0)
                .isLessThan(monteCarlo.timeMillis() / 1000.0);
        assertThat((Double) answer.get("distanceMeters")).isEqualTo(general.distanceMeters());
    }

    @Test
    void noSuitableOrReachableHospitalIsSaidInBothLanguages() {
        Map<String, Object> zh = problem("grid_worker", "/api/emergency/hospital?personId=" + CHILD, null, 404);
        assertThat((String) zh.get("detail")).contains("找不到能接收该人员的医院").contains("paediatrics");
        Map<String, Object> en = problem("grid_worker", "/api/emergency/hospital?personId=" + CHILD, "en", 404);
        assertThat((String) en.get("detail")).contains("No hospital can take this person").contains("paediatrics");

        // a children's hospital far off the Monaco road network: suitable, but no car gets there
        jdbc.sql("""
                INSERT INTO facility (id, kind, name, location, specialities, emergency) OVERRIDING SYSTEM VALUE
                VALUES (299, 'hospital', '远方儿童医院', ST_SetSRID(ST_MakePoint(7.51, 43.81), 4326), '{paediatrics}', true)
                """).update();
        try {
            Map<String, Object> unreachable = problem("grid_worker", "/api/emergency/hospital?personId=" + CHILD, "en", 409);
            assertThat((String) unreachable.get("detail"))
                    .isEqualTo("None of the 1 nearest suitable hospitals can be reached by car");
        } finally {
            jdbc.sql("DELETE FROM facility WHERE id = 299").update();
        }
    }

    @Test
    void aPersonOutsideTheCallersScopeIsNotFound() {
        // person 5 lives in grid 2: the grid worker of grid 1 does not see them; the street's dispatcher does
        problem("grid_worker", "/api/emergency/hospital?personId=5", null, 404);
        Map<String, Object> answer = json("dispatcher", "/api/emergency/hospital?personId=5");
        assertThat(((Number) map(answer.get("hospital")).get("id")).longValue()).isEqualTo(MONTE_CARLO_MATERNITY);
    }

    @Test
    void volunteersAndPlannersAreRefused() {
        problem("volunteer", "/api/emergency/hospital?personId=1", null, 403);
        problem("planner", "/api/emergency/hospital?personId=1", null, 403);
    }

    @Test
    void theReadIsAudited() {
        json("grid_worker", "/api/emergency/hospital?personId=" + PREGNANT);
        Integer rows = jdbc.sql("""
                        SELECT count(*) FROM audit_log
                         WHERE username = 'grid_worker' AND action = 'emergency_transfer' AND person_id = :p
                           AND purpose = 'visit'""")
                .param("p", PREGNANT).query(Integer.class).single();
        assertThat(rows).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void facilitiesKeepSpecialitiesAndEmergencyAndRefuseBadWords() {
        // a clinic, so that it never becomes a transfer candidate for the other tests
        Map<String, Object> created = send("admin", HttpMethod.POST, "/api/facilities", """
                {"kind":"clinic","name":"测试儿科诊所","location":{"lat":43.7335,"lon":7.4203},
                 "specialities":["paediatrics","paediatrics"],"emergency":true}""", null, 201);
        assertThat(created.get("specialities")).isEqualTo(List.of("paediatrics"));
        assertThat(created.get("emergency")).isEqualTo(true);
        long id = ((Number) created.get("id")).longValue();
        Map<String, Object> bad = send("admin", HttpMethod.PATCH, "/api/facilities/" + id,
                "{\"specialities\":[\"Obstetrics\"]}", null, "en", 400);
        assertThat(firstField(bad)).isEqualTo("specialities[0]");
        Map<String, Object> changed = send("admin", HttpMethod.PATCH, "/api/facilities/" + id,
                "{\"emergency\":false}", null, 200);
        assertThat(changed.get("emergency")).isEqualTo(false);
        assertThat(changed.get("specialities")).isEqualTo(List.of("paediatrics"));
        assertThat(((Number) changed.get("version")).intValue()).isEqualTo(2);
        // the map's facility layer carries them too
        Map<String, Object> hospitals = json("grid_worker", "/api/facilities?type=hospital");
        List<Map<String, Object>> features = (List<Map<String, Object>>) hospitals.get("features");
        Map<String, Object> general = features.stream().map(f -> map(f.get("properties")))
                .filter(p -> ((Number) p.get("id")).longValue() == GENERAL).findFirst().orElseThrow();
        assertThat(general.get("specialities")).isEqualTo(List.of("cardiology"));
        assertThat(general.get("emergency")).isEqualTo(true);
    }

    @Test
    void theGridWorkersCardDrawsTheTransferRoute() throws Exception {
        WebDriver driver = Browser.start(1280, 900);
        try {
            Browser.logIn(driver, "http://localhost:" + port, "grid_worker", Fixtures.PASSWORD);
            Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#kp-list li[data-person='" + PREGNANT + "'] button"))).click();
            Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.id("emergency-transfer"))).click();
            WebElement result = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#transfer-result[data-hospital]")));
            assertThat(result.getAttribute("data-hospital")).isEqualTo(Long.toString(MONTE_CARLO_MATERNITY));
            Route direct = carRoute(43.7436280, 7.4284058);
            assertThat(result.getText()).isEqualTo("蒙特卡洛妇产医院：开车约 " + (int) Math.ceil(direct.timeMillis() / 60000.0)
                    + " 分钟，" + String.format(Locale.ROOT, "%.1f", direct.distanceMeters() / 1000) + " 公里");
            assertThat(driver.findElements(By.cssSelector("path.transfer-line"))).hasSize(1);
            Browser.screenshot(driver, "grid-worker-emergency-transfer");
        } finally {
            driver.quit();
        }
    }

    private Route carRoute(double lat, double lon) {
        return routing.require().route(TravelMode.CAR, List.of(ORANGERS, new Place("hospital", lat, lon)),
                Locale.SIMPLIFIED_CHINESE).route().orElseThrow();
    }

    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private Map<String, Object> problem(String user, String uri, String language, int status) {
        return client.get().uri(uri).headers(h -> {
                    h.setBasicAuth(user, Fixtures.PASSWORD);
                    if (language != null) {
                        h.set("Accept-Language", language);
                    }
                }).exchange().expectStatus().isEqualTo(status)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
