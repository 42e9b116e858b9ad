package org.caregrid.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;


import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The first API slice against a real PostGIS with two grids: who sees what, masking, audit.
 * Grid A holds buildings 1 and 2 and persons 1, 3, 4; grid B holds building 3 and person 2.
 */
// mode "test": neither the demo loader nor serve's first-administrator set-up touches the fixture
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class ScopedApiTest extends ServerTest {

    private static final String WHOLE_STREET = "103.99,29.99,104.03,30.02";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "scoped_api");
    }


    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", "510104020000", null, null);
        user("dispatcher", "DISPATCHER", "510104020000", null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("worker_b", "GRID_WORKER", null, 2L, null);
        user("volunteer", "VOLUNTEER", "510104020000", null, 3L);
        user("community_b", "PLANNER", "510104020002", null, null);
    }


    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private List<Integer> featureIds(String user, String uri) {
        List<Map<String, Object>> features = (List<Map<String, Object>>) json(user, uri).get("features");
        return features.stream().map(f -> (Integer) ((Map<String, Object>) f.get("properties")).get("id")).toList();
    }

    @Test
    void everyApiCallNeedsALogIn() {
        for (String uri : List.of("/api/areas", "/api/areas/510104020000", "/api/buildings?bbox=" + WHOLE_STREET,
                "/api/facilities", "/api/persons/1")) {
            client.get().uri(uri).exchange().expectStatus().isUnauthorized();
        }
        client.get().uri("/api/areas").headers(h -> h.setBasicAuth("admin", "wrong")).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void pagesRedirectToTheLogInPage() {
        client.get().uri("/").exchange().expectStatus().isFound()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login"));
        client.get().uri("/login").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("name=\"username\""));
    }

    @Test
    void pagesMayRunOnlyCaregridsOwnScripts() {
        client.get().uri("/login").exchange().expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self';").doesNotContain("unsafe-eval"));
    }

    @Test
    void healthIsUpWithTheDatabase() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.db.status").isEqualTo("UP");
    }

    @Test
    void aGridWorkerSeesOnlyTheBuildingsOfTheirGrid() {
        assertThat(featureIds("worker_a", "/api/buildings?bbox=" + WHOLE_STREET)).containsExactly(1, 2);
        assertThat(featureIds("worker_b", "/api/buildings?bbox=" + WHOLE_STREET)).containsExactly(3);
        // asking for grid B's box only: nothing of it
        assertThat(featureIds("worker_a", "/api/buildings?bbox=104.011,30.0,104.02,30.01")).isEmpty();
    }

    @Test
    void aPlannerOfTheStreetSeesAllItsBuildingsAndACommunityPlannerOnlyTheirs() {
        assertThat(featureIds("planner", "/api/buildings?bbox=" + WHOLE_STREET)).containsExactly(1, 2, 3);
        assertThat(featureIds("community_b", "/api/buildings?bbox=" + WHOLE_STREET)).containsExactly(3);
    }

    @Test
    void theBuildingFeatureCarriesItsFootprintAndUnits() {
        Map<String, Object> collection = json("admin", "/api/buildings?bbox=104.0,30.0,104.003,30.003");
        assertThat(collection.get("truncated")).isEqualTo(false);
        assertThat(collection.get("features")).asList().hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> feature = (Map<String, Object>) ((List<?>) collection.get("features")).get(0);
        assertThat(((Map<?, ?>) feature.get("geometry")).get("type")).isEqualTo("MultiPolygon");
        assertThat(((Map<?, ?>) feature.get("properties")).get("units")).isEqualTo(2);
        assertThat(((Map<?, ?>) feature.get("properties")).get("households")).isEqualTo(20);
    }

    @Test
    void aLimitCutsTheCollectionAndSaysSo() {
        Map<String, Object> collection = json("admin", "/api/buildings?limit=2&bbox=" + WHOLE_STREET);
        assertThat(collection.get("features")).asList().hasSize(2);
        assertThat(collection.get("truncated")).isEqualTo(true);
    }

    @Test
    void badBoundingBoxesAreRefusedInWords() {
        // zh-CN by default, English when asked, always naming the field
        get("admin", "/api/buildings?bbox=1,2,3").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("bbox")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("需要 4 个数"));
        get("admin", "/api/buildings?bbox=1,2,3").header("Accept-Language", "en").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("4 numbers"));
        get("admin", "/api/buildings?bbox=30.0,104.0,30.01,104.02").header("Accept-Language", "en").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("latitude first"));
        get("admin", "/api/buildings").exchange().expectStatus().isBadRequest();
    }

    @Test
    void facilitiesByTypeWithinScope() {
        assertThat(featureIds("planner", "/api/facilities?type=pharmacy")).containsExactly(1, 3);
        assertThat(featureIds("planner", "/api/facilities?type=pharmacy,clinic&bbox=104.01,30.0,104.02,30.01"))
                .containsExactly(2, 3);
        // a grid worker sees the facilities of the grid's community
        assertThat(featureIds("worker_a", "/api/facilities")).containsExactly(1);
        get("admin", "/api/facilities?type=spa").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("pharmacy"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAreaTreeFollowsTheScope() {
        List<Map<String, Object>> street = get("planner", "/api/areas").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(street).hasSize(1);
        assertThat(street.get(0).get("code")).isEqualTo("510104020000");
        assertThat((List<Map<String, Object>>) street.get(0).get("children")).extracting(c -> c.get("code"))
                .containsExactly("510104020001", "510104020002");

        List<Map<String, Object>> grid = get("worker_a", "/api/areas").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(grid).hasSize(1);
        assertThat(grid.get(0).get("code")).isEqualTo("510104020001");
        assertThat((List<Map<String, Object>>) grid.get(0).get("grids")).extracting(g -> g.get("code")).containsExactly("GA");

        List<Map<String, Object>> all = get("admin", "/api/areas").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(all).extracting(a -> a.get("code")).containsExactly("510100000000");
    }

    @Test
    void anAreaComesWithItsBoundaryOnlyInsideTheScope() {
        get("planner", "/api/areas/510104020001").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("甲社区")
                .jsonPath("$.geometry.type").isEqualTo("MultiPolygon");
        get("worker_a", "/api/areas/510104020002").exchange().expectStatus().isNotFound();
        get("worker_a", "/api/areas/5101040200").exchange().expectStatus().isBadRequest();
    }

    @Test
    void phoneAndIdNumbersAreMaskedForRolesThatDoNotCall() {
        get("dispatcher", "/api/persons/1").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("张秀英")
                .jsonPath("$.phone").isEqualTo("138****5678")
                .jsonPath("$.idNumber").isEqualTo("**************123X")
                .jsonPath("$.keyPerson.categories.length()").isEqualTo(2);
        get("worker_a", "/api/persons/1").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.phone").isEqualTo("13812345678")
                .jsonPath("$.idNumber").isEqualTo("**************123X");
    }

    @Test
    void aGridWorkerCannotReadAPersonOfAnotherGrid() {
        get("worker_a", "/api/persons/2").exchange().expectStatus().isNotFound();
        get("worker_b", "/api/persons/2").exchange().expectStatus().isOk();
    }

    @Test
    void aVolunteerReadsOnlyThePersonsTheyAreResponsibleForNow() {
        get("volunteer", "/api/persons/1").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.phone").isEqualTo("13812345678");
        // responsibility for person 4 ended yesterday
        get("volunteer", "/api/persons/4").exchange().expectStatus().isNotFound();
        get("volunteer", "/api/persons/2").exchange().expectStatus().isNotFound();
    }

    @Test
    void plannersGetNoNames() {
        get("planner", "/api/persons/1").exchange().expectStatus().isForbidden();
    }

    @Test
    void everyPersonReadIsAudited() {
        long before = auditRows("dispatcher", 2);
        get("dispatcher", "/api/persons/2").exchange().expectStatus().isOk();
        get("dispatcher", "/api/persons/2").exchange().expectStatus().isOk();
        assertThat(auditRows("dispatcher", 2)).isEqualTo(before + 2);
        Map<String, Object> row = jdbc.sql("SELECT action, endpoint FROM audit_log WHERE username = 'dispatcher' "
                + "AND person_id = 2 ORDER BY id DESC LIMIT 1").query().singleRow();
        assertThat(row).containsEntry("action", "read_person").containsEntry("endpoint", "GET /api/persons/2");

        // refused reads show nothing and leave no read behind (the refusal is logged as denied)
        long refusedBefore = auditRows("worker_a", 2);
        get("worker_a", "/api/persons/2").exchange().expectStatus().isNotFound();
        assertThat(auditRows("worker_a", 2)).isEqualTo(refusedBefore);
    }

    private long auditRows(String username, long personId) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE username = :u AND person_id = :p AND outcome = 'allowed'")
                .param("u", username).param("p", personId).query(Long.class).single();
    }

    @Test
    void deniedAttemptsOnPersonalDataAreAudited() {
        long before = jdbc.sql("SELECT coalesce(max(id), 0) FROM audit_log").query(Long.class).single();
        // out of scope (404), a role without names (403), a wrong password and no log-in at all (401)
        get("worker_b", "/api/persons/1").exchange().expectStatus().isNotFound();
        get("planner", "/api/persons/3/visits").exchange().expectStatus().isForbidden();
        get("planner", "/api/dispatch/volunteers").exchange().expectStatus().isForbidden();
        client.get().uri("/api/persons/2").headers(h -> h.setBasicAuth("worker_a", "wrong")).exchange()
                .expectStatus().isUnauthorized();
        // no credentials at all: a log line, not a row (nothing limits them, and the log cannot shrink)
        client.get().uri("/api/persons/4").exchange().expectStatus().isUnauthorized();
        // not personal data: a refused building list is no audit matter
        client.get().uri("/api/areas").exchange().expectStatus().isUnauthorized();

        List<String> rows = jdbc.sql("""
                        SELECT concat_ws(' | ', username, action, endpoint, person_id, purpose, outcome, detail->>'status')
                          FROM audit_log WHERE id > :before ORDER BY id""").param("before", before)
                .query(String.class).list();
        assertThat(rows).containsExactly(
                "worker_b | read_names | GET /api/persons/1 | 1 | visit | denied | 404",
                "planner | read_names | GET /api/persons/3/visits | 3 | visit | denied | 403",
                "planner | plan_deliveries | GET /api/dispatch/volunteers | dispatch | denied | 403",
                "(log-in failed) worker_a | read_names | GET /api/persons/2 | 2 | visit | denied | 401");
    }

    @Test
    void aBrowserLogsInWithTheFormAndTheCsrfToken() {
        var loginPage = client.get().uri("/login").exchange().expectStatus().isOk().returnResult(String.class);
        String csrf = loginPage.getResponseCookies().getFirst("XSRF-TOKEN").getValue();
        assertThat(csrf).isNotBlank();

        // without the token the form is refused
        client.post().uri("/login").contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("username=worker_a&password=" + Fixtures.PASSWORD)
                .exchange().expectStatus().isForbidden();

        var loggedIn = client.post().uri("/login")
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .cookie("XSRF-TOKEN", csrf)
                .bodyValue("username=worker_a&password=" + Fixtures.PASSWORD + "&_csrf=" + csrf)
                .exchange().expectStatus().isFound()
                .expectHeader().value("Location", location -> assertThat(location).isEqualTo("/"))
                .returnResult(String.class);
        String session = loggedIn.getResponseCookies().getFirst("SESSION").getValue();
        client.get().uri("/api/buildings?bbox=" + WHOLE_STREET).cookie("SESSION", session).exchange()
                .expectStatus().isOk();

        client.post().uri("/login").contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .cookie("XSRF-TOKEN", csrf)
                .bodyValue("username=worker_a&password=wrong&_csrf=" + csrf)
                .exchange().expectStatus().isFound()
                .expectHeader().value("Location", location -> assertThat(location).isEqualTo("/login?error"));
    }
}
