package org.caregrid.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Closing a person (deceased, moved away) and reopening them, on two grids (fixtures/two-grids.sql):
 * key persons 1 and 4 live in grid 1 (community 甲), key person 2 in grid 2 (community 乙), all registered
 * 60 days ago and never visited, so all three are overdue; person 1 heads building 1, buildings 2 and 3
 * have no head; person 1 has a pending medicine request.
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class PersonClosingApiTest extends ServerTest {

    private static final String STREET = "510104020000";
    private static final String COMMUNITY_A = "510104020001";
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    private static final LocalDate YESTERDAY = TODAY.minusDays(1);

    private long headAssignment;
    private long request;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "person_closing_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("worker_b", "GRID_WORKER", null, 2L, null);
        user("planner", "PLANNER", STREET, null, null);
        jdbc.sql("UPDATE key_person SET registered_on = :d").param("d", TODAY.minusDays(60)).update();
        headAssignment = jdbc.sql("""
                        INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, valid_from)
                        VALUES (1, 'building_head', 'building', 1, :d) RETURNING id
                        """).param("d", TODAY.minusDays(40)).query(Long.class).single();
        request = jdbc.sql("""
                        INSERT INTO delivery_request (key_person_id, items, created_by) VALUES (1, '降压药', 'worker_a')
                        RETURNING id
                        """).query(Long.class).single();
    }

    /** A metric's gaps in grid 1, community 甲 and the street, on {@code day}. */
    private List<Long> gapsAtGridCommunityStreet(String metricId, LocalDate day) {
        String asOf = "&asOf=" + day;
        return List.of(coverageGaps("planner", metricId, "grid=1" + asOf),
                coverageGaps("planner", metricId, "area=" + COMMUNITY_A + asOf),
                coverageGaps("planner", metricId, "area=" + STREET + asOf));
    }

    private int version(long person) {
        return jdbc.sql("SELECT version FROM person WHERE id = :id").param("id", person).query(Integer.class).single();
    }

    private long historyRows() {
        return jdbc.sql("SELECT count(*) FROM change_history").query(Long.class).single();
    }

    /** A closing that is refused: the problem, in {@code language}. */
    private Map<String, Object> problem(String user, long person, String json, String ifMatch, String language, int status) {
        return send(user, HttpMethod.POST, "/api/persons/" + person + "/close", json, ifMatch, language, status);
    }

    @SuppressWarnings("unchecked")
    private static String firstMessage(Map<String, Object> problem) {
        return (String) ((List<Map<String, Object>>) problem.get("errors")).get(0).get("message");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> found(String query) {
        Map<String, Object> page = get("worker_a", "/api/persons?" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeceasedKeyPersonLeavesEveryFigureFromTheNextDayAndComesBackWhenReopened() {
        assertThat(gapsAtGridCommunityStreet("visits", TODAY)).containsExactly(2L, 2L, 3L);
        assertThat(gapsAtGridCommunityStreet("building-heads", TODAY)).containsExactly(1L, 1L, 2L);
        int version = version(1);

        // bad input, another grid's worker, a stale or missing version: 4xx, and nothing written
        long rows = historyRows();
        Map<String, Object> zh = problem("worker_a", 1, "{\"reason\":\"died\",\"on\":\"" + TODAY.plusDays(1) + "\"}",
                "\"" + version + "\"", "zh-CN", 400);
        assertThat(((List<Map<String, Object>>) zh.get("errors"))).extracting(e -> e.get("field")).containsExactly("reason", "on");
        assertThat(firstMessage(zh)).isEqualTo("没有“died”；可选：deceased, moved_away");
        Map<String, Object> en = problem("worker_a", 1, "{\"reason\":\"deceased\",\"on\":\"" + TODAY.plusDays(1) + "\"}",
                "\"" + version + "\"", "en", 400);
        assertThat(firstField(en)).isEqualTo("on");
        assertThat(firstMessage(en)).isEqualTo("must not be after today, " + TODAY);
        assertThat(firstMessage(problem("worker_a", 1, "{\"reason\":\"deceased\",\"on\":\"" + TODAY.plusDays(1) + "\"}",
                "\"" + version + "\"", "zh-CN", 400))).isEqualTo("不能晚于今天 " + TODAY);
        jdbc.sql("UPDATE person SET birth_date = DATE '1940-03-01' WHERE id = 1").update();
        version = version(1);
        assertThat(firstField(problem("worker_a", 1, "{\"reason\":\"deceased\",\"on\":\"1939-12-31\"}",
                "\"" + version + "\"", "en", 400))).isEqualTo("on");
        rows = historyRows();
        problem("worker_b", 1, "{\"reason\":\"deceased\",\"on\":\"" + YESTERDAY + "\"}", "\"" + version + "\"", "en", 404);
        problem("worker_a", 1, "{\"reason\":\"deceased\",\"on\":\"" + YESTERDAY + "\"}", "\"" + (version + 5) + "\"", "en", 412);
        assertThat(firstField(problem("worker_a", 1, "{\"reason\":\"deceased\",\"on\":\"" + YESTERDAY + "\"}", null, "en", 400)))
                .isEqualTo("If-Match");
        assertThat(historyRows()).isEqualTo(rows);
        assertThat(version(1)).isEqualTo(version);
        assertThat(jdbc.sql("SELECT closed_on FROM person WHERE id = 1").query(LocalDate.class).optional()).isEmpty();

        // died yesterday: yesterday is their last day in the register
        Map<String, Object> closed = send("worker_a", HttpMethod.POST, "/api/persons/1/close",
                "{\"reason\":\"deceased\",\"on\":\"" + YESTERDAY + "\",\"note\":\"家属告知\"}", "\"" + version + "\"", 200);
        assertThat(closed).containsEntry("closedOn", YESTERDAY.toString()).containsEntry("closedReason", "deceased")
                .containsEntry("version", version + 1).containsEntry("assignmentsEnded", 2).containsEntry("requestsCancelled", 1);
        assertThat(gapsAtGridCommunityStreet("visits", TODAY)).containsExactly(1L, 1L, 2L);
        // a report of the closing day or before still counts them
        assertThat(gapsAtGridCommunityStreet("visits", YESTERDAY)).containsExactly(2L, 2L, 3L);
        assertThat(gapsAtGridCommunityStreet("visits", TODAY.minusDays(5))).containsExactly(2L, 2L, 3L);
        // nor is a closed person counted as lacking a responsible person: the responsible's assignment ended too
        assertThat(gapsAtGridCommunityStreet("responsibility", TODAY)).containsExactly(1L, 1L, 2L);
        // their building has no head from today on
        assertThat(gapsAtGridCommunityStreet("building-heads", TODAY)).containsExactly(2L, 2L, 3L);
        assertThat(gapsAtGridCommunityStreet("building-heads", YESTERDAY)).containsExactly(1L, 1L, 2L);
        assertThat(jdbc.sql("SELECT valid_to, end_reason FROM role_assignment WHERE id = :id").param("id", headAssignment)
                .query((rs, n) -> List.of(rs.getObject(1, LocalDate.class), rs.getString(2))).single())
                .containsExactly(YESTERDAY, "person 1 closed: deceased: 家属告知");
        assertThat(jdbc.sql("SELECT valid_to FROM role_assignment WHERE role = 'responsible' AND scope_person_id = 1")
                .query(LocalDate.class).list()).containsExactly(YESTERDAY);
        assertThat(jdbc.sql("SELECT status FROM delivery_request WHERE id = :id").param("id", request)
                .query(String.class).single()).isEqualTo("cancelled");

        // the history of the person, their assignment and their request says why
        for (String uri : List.of("/api/history?entity=person&id=1", "/api/history?entity=assignment&id=" + headAssignment,
                "/api/history?entity=delivery-request&id=" + request)) {
            List<Map<String, Object>> history = get("worker_a", uri).exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
            assertThat(history.get(0)).as(uri).containsEntry("action", "update").containsEntry("reason", "deceased: 家属告知")
                    .containsEntry("username", "worker_a");
        }

        // the search leaves them out unless asked, and then marks them
        assertThat(found("grid=1")).extracting(p -> p.get("id")).containsExactly(3, 4);
        assertThat(found("grid=1&includeClosed=true")).extracting(p -> p.get("id"), p -> p.get("closedOn"), p -> p.get("closedReason"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, YESTERDAY.toString(), "deceased"),
                        org.assertj.core.groups.Tuple.tuple(3, null, null), org.assertj.core.groups.Tuple.tuple(4, null, null));

        // closing twice is a conflict; a mistaken closing is reopened, with a reason
        send("worker_a", HttpMethod.POST, "/api/persons/1/close", "{\"reason\":\"moved_away\",\"on\":\"" + TODAY + "\"}",
                "\"" + (version + 1) + "\"", 409);
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons/1/reopen", "{}", "\"" + (version + 1) + "\"", 400)))
                .isEqualTo("reason");
        Map<String, Object> reopened = send("worker_a", HttpMethod.POST, "/api/persons/1/reopen",
                "{\"reason\":\"认错了人\"}", "\"" + (version + 1) + "\"", 200);
        assertThat(reopened).containsEntry("version", version + 2);
        assertThat(gapsAtGridCommunityStreet("visits", TODAY)).containsExactly(2L, 2L, 3L);
        // what the closing ended stays ended: the history lists it, and the head is appointed again
        assertThat(gapsAtGridCommunityStreet("building-heads", TODAY)).containsExactly(2L, 2L, 3L);
        List<Map<String, Object>> history = get("worker_a", "/api/history?entity=person&id=1").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(history.subList(0, 2)).extracting(h -> h.get("reason")).containsExactly("认错了人", "deceased: 家属告知");
        send("worker_a", HttpMethod.POST, "/api/persons/1/reopen", "{\"reason\":\"again\"}", "\"" + (version + 2) + "\"", 409);
    }
}
