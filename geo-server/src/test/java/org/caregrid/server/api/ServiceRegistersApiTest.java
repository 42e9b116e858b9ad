package org.caregrid.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The registers a community keeps besides persons: volunteers, facilities and organisations, on the
 * Monaco fixture (fixtures/monaco.sql) and its real road network. Grid 1 (community 990101001001) holds
 * buildings 1–4 and key persons 1–4; person 9 (周网格) lives in building 3 and is not yet a volunteer;
 * pharmacies 2 and 3 are the nearest by road for key persons 1–4.
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class ServiceRegistersApiTest extends ServerTest {

    private static final String STREET = "990101001000";
    private static final String COMMUNITY_1 = "990101001001";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "service_registers");
        registry.add("caregrid.home", () -> "target/test-home-service-registers");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    RoutingService routing;

    @BeforeAll
    void loadFixture() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("admin", "ADMIN", null, null, null);
        user("far_admin", "ADMIN", "990101002000", null, null);
        user("dispatcher", "DISPATCHER", STREET, null, null);
        user("worker_2", "GRID_WORKER", null, 2L, null);
        user("planner", "PLANNER", STREET, null, null);
        user("far_planner", "PLANNER", "990101002000", null, null);
        MonacoRoads.awaitReady(routing);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> fields(Map<String, Object> problem) {
        return ((List<Map<String, Object>>) problem.get("errors")).stream().map(e -> e.get("field")).toList();
    }

    @SuppressWarnings("unchecked")
    private static String message(Map<String, Object> problem, String field) {
        return ((List<Map<String, Object>>) problem.get("errors")).stream().filter(e -> field.equals(e.get("field")))
                .map(e -> (String) e.get("message")).findFirst().orElseThrow();
    }

    private List<Map<String, Object>> history(String entity, long id) {
        return get("admin", "/api/history?entity=" + entity + "&id=" + id).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
    }

    @Test
    void aVolunteerIsRegisteredFromTheirHomeAndJoinsTheReserveWithATier() {
        Map<String, Object> registered = send("dispatcher", HttpMethod.POST, "/api/volunteers",
                "{\"personId\":9,\"teams\":[\"medicine_delivery\"],\"skills\":[\" 驾驶 \",\"急救\"],\"travelMode\":\"bike\","
                        + "\"capacity\":8,\"availability\":\"Mo-Fr 18:00-21:00; Sa 9:00-12:00\",\"reason\":\"社区招募\"}",
                null, 201);
        assertThat(registered).containsEntry("personId", 9).containsEntry("travelMode", "bike").containsEntry("capacity", 8)
                .containsEntry("teams", List.of("medicine_delivery")).containsEntry("skills", List.of("驾驶", "急救"))
                .containsEntry("availability", "Mo-Fr 18:00-21:00; Sa 09:00-12:00")
                .containsEntry("reserve", false).containsEntry("version", 1);
        // no home given: the entrance of building 3, where person 9 lives
        assertThat(registered.get("home")).isEqualTo(Map.of("lat", 43.7298367, "lon", 7.4163873));

        Map<String, Object> again = send("dispatcher", HttpMethod.POST, "/api/volunteers", "{\"personId\":9}", null, 409);
        assertThat(again.get("detail")).asString().contains("9");
        send("dispatcher", HttpMethod.POST, "/api/volunteers", "{\"personId\":999}", null, 404);
        // a grid worker of grid 2 cannot register a resident of grid 1: row-level security hides them
        send("worker_2", HttpMethod.POST, "/api/volunteers", "{\"personId\":4}", null, 404);
        send("planner", HttpMethod.POST, "/api/volunteers", "{\"personId\":4}", null, 403);
        assertThat(jdbc.sql("SELECT count(*) FROM volunteer").query(Long.class).single()).isEqualTo(3);

        send("dispatcher", HttpMethod.PATCH, "/api/volunteers/9", "{\"reserveTier\":\"street\"}", "\"7\"", 412);
        Map<String, Object> reserve = send("dispatcher", HttpMethod.PATCH, "/api/volunteers/9",
                "{\"reserveTier\":\"street\",\"reason\":\"编入机动力量\"}", "\"1\"", 200);
        assertThat(reserve).containsEntry("reserve", true).containsEntry("reserveTier", "street").containsEntry("version", 2)
                .containsEntry("capacity", 8);
        Map<String, Object> left = send("dispatcher", HttpMethod.PATCH, "/api/volunteers/9", "{\"reserve\":false}", "\"2\"", 200);
        assertThat(left).containsEntry("reserve", false).doesNotContainKey("reserveTier").containsEntry("version", 3);
        assertThat(history("volunteer", 9)).extracting(h -> h.get("reason")).containsExactly(null, "编入机动力量", "社区招募");
    }

    @Test
    void aVolunteersBadFieldsAreNamedAndNothingIsStored() {
        Map<String, Object> problem = send("admin", HttpMethod.POST, "/api/volunteers",
                "{\"personId\":4,\"teams\":[\"medicine_delivery\",\"chess\"],\"travelMode\":\"horse\",\"capacity\":0,"
                        + "\"maxStops\":500,\"reserve\":false,\"reserveTier\":\"street\",\"home\":{\"lat\":95,\"lon\":7.4},"
                        + "\"availability\":\"每天晚上\"}", null, 400);
        assertThat(fields(problem)).containsExactly("teams[1]", "travelMode", "capacity", "maxStops", "reserveTier",
                "home.lat", "availability");
        assertThat(message(problem, "availability")).contains("opening_hours").contains("Mo-Fr 08:00-20:00");
        Map<String, Object> english = client.post().uri("/api/volunteers")
                .headers(h -> {
                    h.setBasicAuth("admin", Fixtures.PASSWORD);
                    h.set(org.springframework.http.HttpHeaders.ACCEPT_LANGUAGE, "en");
                })
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{\"personId\":4,\"availability\":\"Mo-Zz\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(message(english, "availability")).startsWith("is not valid OSM opening_hours syntax");
        assertThat(jdbc.sql("SELECT count(*) FROM volunteer WHERE person_id = 4").query(Long.class).single()).isZero();
    }

    @Test
    void aNewPharmacyLiesInItsGridAndBecomesTheNearestForTheHomeBesideIt() throws InterruptedException {
        // a pharmacy at the door of building 1, where key person 1 lives
        Map<String, Object> opened = send("admin", HttpMethod.POST, "/api/facilities",
                "{\"kind\":\"pharmacy\",\"name\":\"橘树街药房\",\"openingHours\":\"Mo-Su 8:00-22:00\",\"phone\":\"+377 93 000000\","
                        + "\"address\":\"Rue des Orangers 1\",\"location\":{\"lat\":43.7335118,\"lon\":7.4203302},\"reason\":\"新开业\"}",
                null, 201);
        long id = ((Number) opened.get("id")).longValue();
        assertThat(opened).containsEntry("areaCode", COMMUNITY_1).containsEntry("gridId", 1)
                .containsEntry("openingHours", "Mo-Su 08:00-22:00").containsEntry("version", 1);

        // the walks are recomputed in the background once the facility is stored
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        Long nearest = null;
        while (Instant.now().isBefore(deadline)) {
            nearest = jdbc.sql("SELECT facility_id FROM nearest_facility WHERE person_id = 1 AND facility_group = 'health'")
                    .query(Long.class).optional().orElse(null);
            if (Long.valueOf(id).equals(nearest)) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(nearest).as("key person 1's nearest health facility").isEqualTo(id);

        // moved across the border to community 2: its area and grid follow
        Map<String, Object> moved = send("admin", HttpMethod.PATCH, "/api/facilities/" + id,
                "{\"location\":{\"lat\":43.7436280,\"lon\":7.4290000},\"reason\":\"搬迁\"}", "\"1\"", 200);
        assertThat(moved).containsEntry("areaCode", "990101001002").containsEntry("gridId", 2)
                .containsEntry("name", "橘树街药房").containsEntry("version", 2);
        send("admin", HttpMethod.PATCH, "/api/facilities/" + id, "{\"name\":\"旧名\"}", "\"1\"", 412);
        assertThat(history("facility", id)).extracting(h -> h.get("reason")).containsExactly("搬迁", "新开业");
    }

    @Test
    void facilitiesAreKeptByAdministratorsInsideTheirAreaWithValidOpeningHours() {
        long facilities = jdbc.sql("SELECT count(*) FROM facility").query(Long.class).single();
        Map<String, Object> problem = send("admin", HttpMethod.POST, "/api/facilities",
                "{\"kind\":\"shop\",\"name\":\" \",\"openingHours\":\"Mo-Fr 25:00-26:00\",\"phone\":\"call me\","
                        + "\"location\":{\"lat\":43.73,\"lon\":181}}", null, 400);
        assertThat(fields(problem)).containsExactly("name", "kind", "phone", "location.lon", "openingHours");
        // an administrator of a far street: Monaco is outside their area, and facility 2 does not exist for them
        Map<String, Object> outside = send("far_admin", HttpMethod.POST, "/api/facilities",
                "{\"kind\":\"clinic\",\"name\":\"越界诊所\",\"location\":{\"lat\":43.7335,\"lon\":7.4203}}", null, 400);
        assertThat(fields(outside)).containsExactly("location");
        send("far_admin", HttpMethod.PATCH, "/api/facilities/2", "{\"name\":\"改名\"}", null, 404);
        send("dispatcher", HttpMethod.POST, "/api/facilities",
                "{\"kind\":\"clinic\",\"name\":\"诊所\",\"location\":{\"lat\":43.7335,\"lon\":7.4203}}", null, 403);
        assertThat(jdbc.sql("SELECT count(*) FROM facility").query(Long.class).single()).isEqualTo(facilities);
        assertThat(jdbc.sql("SELECT name FROM facility WHERE id = 2").query(String.class).single()).isEqualTo("Pharmacie Marsan");
    }

    @Test
    void plannersKeepTheOrganisationsOfTheirAreaAndEndThemWithoutDeleting() {
        Map<String, Object> founded = send("planner", HttpMethod.POST, "/api/organisations",
                "{\"name\":\"银发互助队\",\"kind\":\"互助\",\"areaCode\":\"" + COMMUNITY_1 + "\",\"foundedOn\":\"2025-03-01\"}",
                null, 201);
        long id = ((Number) founded.get("id")).longValue();
        assertThat(founded).containsEntry("areaCode", COMMUNITY_1).containsEntry("active", true).containsEntry("version", 1);
        send("far_planner", HttpMethod.POST, "/api/organisations",
                "{\"name\":\"越界组织\",\"areaCode\":\"" + COMMUNITY_1 + "\"}", null, 404);
        send("far_planner", HttpMethod.PATCH, "/api/organisations/" + id, "{\"active\":false}", null, 404);
        Map<String, Object> bad = send("planner", HttpMethod.POST, "/api/organisations",
                "{\"name\":\"\",\"areaCode\":\"12\",\"foundedOn\":\"2999-01-01\"}", null, 400);
        assertThat(fields(bad)).containsExactly("name", "areaCode", "foundedOn");

        Map<String, Object> ended = send("planner", HttpMethod.PATCH, "/api/organisations/" + id,
                "{\"active\":false,\"reason\":\"成员迁出\"}", "\"1\"", 200);
        assertThat(ended).containsEntry("active", false).containsEntry("version", 2).containsEntry("name", "银发互助队");
        List<Map<String, Object>> listed = get("worker_2", "/api/organisations").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        // a grid worker of grid 2 sees the organisations of their own community only
        assertThat(listed).isEmpty();
        List<Map<String, Object>> all = get("planner", "/api/organisations?area=" + COMMUNITY_1).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(all).extracting(o -> o.get("name")).containsExactly("银发互助队");
        assertThat(history("organisation", id)).extracting(h -> h.get("reason")).containsExactly("成员迁出", null);
    }
}
