package org.caregrid.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Medicine requests on two grids (fixtures/two-grids.sql): key persons 1 and 4 live in grid 1, key
 * person 2 in grid 2; the volunteer (person 3) looks after key person 1 today.
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class DeliveryRequestApiTest extends ServerTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "delivery_request_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("volunteer", "VOLUNTEER", "510104020000", null, 3L);
        user("planner", "PLANNER", "510104020000", null, null);
    }


    @Test
    void aRequestIsEnteredPendingAndCancelledWithAReasonNeverDeleted() {
        Map<String, Object> entered = send("worker_a", HttpMethod.POST, "/api/delivery-requests",
                "{\"keyPersonId\":1,\"items\":\"降压药 2盒\",\"urgency\":\"urgent\",\"demand\":2,\"facilityId\":1}", null, 201);
        long id = ((Number) entered.get("id")).longValue();
        assertThat(entered).containsEntry("status", "pending").containsEntry("urgency", "urgent").containsEntry("demand", 2)
                .containsEntry("createdBy", "worker_a").containsEntry("facilityId", 1).containsEntry("version", 1);

        send("worker_a", HttpMethod.PATCH, "/api/delivery-requests/" + id, "{\"status\":\"cancelled\"}", "\"1\"", 400);
        send("worker_a", HttpMethod.PATCH, "/api/delivery-requests/" + id, "{\"status\":\"cancelled\",\"reason\":\"家属已代买\"}", "\"5\"", 412);
        Map<String, Object> cancelled = send("worker_a", HttpMethod.PATCH, "/api/delivery-requests/" + id,
                "{\"status\":\"cancelled\",\"reason\":\"家属已代买\"}", "\"1\"", 200);
        assertThat(cancelled).containsEntry("status", "cancelled").containsEntry("version", 2);
        assertThat(jdbc.sql("SELECT status FROM delivery_request WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("cancelled");
        List<Map<String, Object>> history = get("worker_a", "/api/history?entity=delivery-request&id=" + id).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        assertThat(history).extracting(h -> h.get("reason")).containsExactly("家属已代买", null);
    }

    @Test
    void aVolunteerEntersRequestsOnlyForTheKeyPersonTheyLookAfter() {
        send("volunteer", HttpMethod.POST, "/api/delivery-requests", "{\"keyPersonId\":1,\"items\":\"胰岛素\"}", null, 201);
        long before = jdbc.sql("SELECT count(*) FROM delivery_request").query(Long.class).single();
        send("volunteer", HttpMethod.POST, "/api/delivery-requests", "{\"keyPersonId\":4,\"items\":\"胰岛素\"}", null, 404);
        send("worker_a", HttpMethod.POST, "/api/delivery-requests", "{\"keyPersonId\":2,\"items\":\"胰岛素\"}", null, 404);
        send("planner", HttpMethod.POST, "/api/delivery-requests", "{\"keyPersonId\":1,\"items\":\"胰岛素\"}", null, 403);
        assertThat(jdbc.sql("SELECT count(*) FROM delivery_request").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void badFieldsAreNamed() {
        Map<String, Object> problem = send("worker_a", HttpMethod.POST, "/api/delivery-requests",
                "{\"keyPersonId\":1,\"items\":\" \",\"urgency\":\"asap\",\"demand\":0,"
                        + "\"windowStart\":\"2026-12-01T10:00:00+08:00\",\"windowEnd\":\"2026-12-01T09:00:00+08:00\"}", null, 400);
        assertThat((List<Map<String, Object>>) problem.get("errors")).extracting(e -> e.get("field"))
                .containsExactly("items", "demand", "urgency", "windowEnd");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKeyPersonsOpenRequestsAreListedForTheirCardNewestFirst() {
        long first = ((Number) send("worker_a", HttpMethod.POST, "/api/delivery-requests",
                "{\"keyPersonId\":4,\"items\":\"阿司匹林\"}", null, 201).get("id")).longValue();
        long second = ((Number) send("worker_a", HttpMethod.POST, "/api/delivery-requests",
                "{\"keyPersonId\":4,\"items\":\"胰岛素\",\"urgency\":\"urgent\"}", null, 201).get("id")).longValue();
        send("worker_a", HttpMethod.PATCH, "/api/delivery-requests/" + first, "{\"status\":\"cancelled\",\"reason\":\"已自取\"}",
                "\"1\"", 200);
        List<Map<String, Object>> open = list("worker_a", "/api/delivery-requests?keyPerson=4&open=true");
        assertThat(open).extracting(r -> ((Number) r.get("id")).longValue()).containsExactly(second);
        assertThat(open.get(0)).containsEntry("items", "胰岛素").containsEntry("urgency", "urgent").containsEntry("status", "pending");
        assertThat(list("worker_a", "/api/delivery-requests?keyPerson=4")).extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactly(second, first);
        // another grid's key person: row-level security lists nothing
        jdbc.sql("INSERT INTO delivery_request (key_person_id, items, created_by) VALUES (2, '钙片', 'admin')").update();
        assertThat(list("worker_a", "/api/delivery-requests?keyPerson=2&open=true")).isEmpty();
        get("planner", "/api/delivery-requests?keyPerson=4").exchange().expectStatus().isForbidden();
    }

    private List<Map<String, Object>> list(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
    }
}
