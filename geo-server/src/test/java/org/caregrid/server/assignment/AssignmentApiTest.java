package org.caregrid.server.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Appointing and ending heads through the API, on two grids (fixtures/two-grids.sql): grid 1 holds
 * buildings 1 and 2, grid 2 building 3; nobody heads any building at first.
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class AssignmentApiTest extends ServerTest {

    private static final String STREET = "510104020000";
    private static final String COMMUNITY_A = "510104020001";
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "assignment_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("planner", "PLANNER", STREET, null, null);
        user("dispatcher", "DISPATCHER", STREET, null, null);
    }


    private long buildingHeadGaps(String query) {
        return coverageGaps("planner", "building-heads", query);
    }

    private List<Long> gapsAtGridCommunityStreet() {
        return List.of(buildingHeadGaps("grid=1"), buildingHeadGaps("area=" + COMMUNITY_A), buildingHeadGaps("area=" + STREET));
    }

    @Test
    void anAppointmentClosesTheGapAtEveryLevelAndItsEndReopensItWithTheHistoryOfBoth() {
        // other tests may have appointed a head of building 1 already; building 2 has none
        List<Long> before = gapsAtGridCommunityStreet();
        assertThat(before).isIn(List.of(2L, 2L, 3L), List.of(1L, 1L, 2L));
        List<Long> closed = before.stream().map(g -> g - 1).toList();

        var created = client.post().uri("/api/assignments").headers(h -> h.setBasicAuth("worker_a", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"role\":\"building_head\",\"personId\":3,\"buildingId\":2,\"validFrom\":\"" + TODAY.minusDays(10)
                        + "\",\"reason\":\"居民推选\"}")
                .exchange().expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/assignments/\\d+")
                .expectHeader().valueEquals("ETag", "\"1\"")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        long id = ((Number) created.get("id")).longValue();
        assertThat(created).containsEntry("role", "building_head").containsEntry("personId", 3)
                .containsEntry("personName", "王志强").containsEntry("buildingId", 2).containsEntry("scopeType", "building")
                .containsEntry("validFrom", TODAY.minusDays(10).toString()).containsEntry("active", true)
                .containsEntry("version", 1);
        assertThat(jdbc.sql("SELECT person_id, role, scope_building_id, valid_from, valid_to FROM role_assignment WHERE id = :id")
                .param("id", id).query((rs, n) -> List.of(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        rs.getObject(4, LocalDate.class), String.valueOf(rs.getObject(5)))).single())
                .containsExactly(3L, "building_head", 2L, TODAY.minusDays(10), "null");
        assertThat(gapsAtGridCommunityStreet()).isEqualTo(closed);

        // a stale version changes nothing
        send("worker_a", HttpMethod.PATCH, "/api/assignments/" + id, "{\"validTo\":\"" + TODAY.minusDays(1) + "\"}", "\"7\"", 412);
        assertThat(gapsAtGridCommunityStreet()).isEqualTo(closed);

        Map<String, Object> ended = send("worker_a", HttpMethod.PATCH, "/api/assignments/" + id,
                "{\"validTo\":\"" + TODAY.minusDays(1) + "\",\"reason\":\"搬走了\"}", "\"1\"", 200);
        assertThat(ended).containsEntry("validTo", TODAY.minusDays(1).toString()).containsEntry("active", false)
                .containsEntry("version", 2).containsEntry("endReason", "搬走了");
        assertThat(gapsAtGridCommunityStreet()).isEqualTo(before);

        List<Map<String, Object>> history = get("worker_a", "/api/history?entity=assignment&id=" + id).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        assertThat(history).extracting(h -> h.get("action")).containsExactly("update", "create");
        assertThat(history).extracting(h -> h.get("reason")).containsExactly("搬走了", "居民推选");
        assertThat(history).extracting(h -> h.get("username")).containsExactly("worker_a", "worker_a");
        // null values are left out of answers
        assertThat((Map<String, Object>) history.get(0).get("before")).containsEntry("version", 1).doesNotContainKey("valid_to");
        assertThat((Map<String, Object>) history.get(0).get("after")).containsEntry("valid_to", TODAY.minusDays(1).toString());
    }

    @Test
    void badFieldsAreNamedAndNothingIsStored() {
        long before = jdbc.sql("SELECT count(*) FROM role_assignment").query(Long.class).single();
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/assignments", "{\"role\":\"mayor\",\"personId\":3,\"buildingId\":1}", null, 400)))
                .isEqualTo("role");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/assignments", "{\"role\":\"unit_head\",\"personId\":3,\"buildingId\":1}", null, 400)))
                .isEqualTo("buildingId");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/assignments", "{\"role\":\"building_head\",\"buildingId\":1}", null, 400)))
                .isEqualTo("personId");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/assignments",
                "{\"role\":\"building_head\",\"personId\":3,\"buildingId\":1,\"validFrom\":\"2026-05-02\",\"validTo\":\"2026-05-01\"}", null, 400)))
                .isEqualTo("validTo");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/assignments",
                "{\"role\":\"building_head\",\"personId\":3,\"buildingId\":1,\"tier\":\"street\"}", null, 400))).isEqualTo("tier");
        assertThat(jdbc.sql("SELECT count(*) FROM role_assignment").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void outsideTheCallersScopeNothingExistsAndRolesThatDoNotAppointAreRefused() {
        long before = jdbc.sql("SELECT count(*) FROM role_assignment").query(Long.class).single();
        // building 3 and person 2 lie in grid 2
        send("worker_a", HttpMethod.POST, "/api/assignments", "{\"role\":\"building_head\",\"personId\":3,\"buildingId\":3}", null, 404);
        send("worker_a", HttpMethod.POST, "/api/assignments", "{\"role\":\"building_head\",\"personId\":2,\"buildingId\":1}", null, 404);
        send("dispatcher", HttpMethod.POST, "/api/assignments", "{\"role\":\"building_head\",\"personId\":3,\"buildingId\":1}", null, 403);
        assertThat(jdbc.sql("SELECT count(*) FROM role_assignment").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsThatShowNamesLogExactlyThePersonsShownAndNamelessReadsLogNothing() {
        Map<String, Object> appointed = send("worker_a", HttpMethod.POST, "/api/assignments",
                "{\"role\":\"unit_head\",\"personId\":1,\"unitId\":1}", null, 201);
        long id = ((Number) appointed.get("id")).longValue();
        List<Map<String, Object>> listed = get("worker_a", "/api/assignments?unit=1").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(listed).isNotEmpty().allSatisfy(a -> assertThat(a.get("personName")).isNotNull());
        String shown = listed.stream().map(a -> ((Number) a.get("personId")).longValue()).distinct().sorted()
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        assertThat(jdbc.sql("""
                        SELECT detail->>'person_ids' FROM audit_log WHERE username = 'worker_a' AND action = 'list_persons'
                           AND endpoint = 'GET /api/assignments' AND purpose = 'report' ORDER BY id DESC LIMIT 1""")
                .query(String.class).single()).isEqualTo(shown).isEqualTo("[1]");
        get("worker_a", "/api/assignments/" + id).exchange().expectStatus().isOk();
        assertThat(jdbc.sql("""
                        SELECT person_id FROM audit_log WHERE username = 'worker_a' AND action = 'read_assignment'
                           AND endpoint = :e ORDER BY id DESC LIMIT 1""").param("e", "GET /api/assignments/" + id)
                .query(Long.class).single()).isEqualTo(1L);
        // planners see no names, so their reads are no reads of persons
        get("planner", "/api/assignments?unit=1").exchange().expectStatus().isOk();
        get("planner", "/api/assignments/" + id).exchange().expectStatus().isOk();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'planner' AND endpoint LIKE 'GET /api/assignments%'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void aPlannerAppointsWithoutSeeingTheName() {
        Map<String, Object> a = send("planner", HttpMethod.POST, "/api/assignments",
                "{\"role\":\"unit_head\",\"personId\":2,\"unitId\":3}", null, 201);
        assertThat(a).containsEntry("personId", 2).containsEntry("unitId", 3).doesNotContainKey("personName");
    }

    @Test
    void twoGridWorkersAppointingAtOnceLeaveExactlyOneHead() throws Exception {
        user("worker_a2", "GRID_WORKER", null, 1L, null);
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (var pair : List.of(List.of("worker_a", "1"), List.of("worker_a2", "4"))) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return client.post().uri("/api/assignments").headers(h -> h.setBasicAuth(pair.get(0), Fixtures.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"role\":\"building_head\",\"personId\":" + pair.get(1) + ",\"buildingId\":1}")
                        .exchange().returnResult(String.class).getStatus().value();
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get(2, TimeUnit.MINUTES));
        }
        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM role_assignment WHERE role = 'building_head' AND scope_building_id = 1
                   AND valid_from <= :today AND (valid_to IS NULL OR valid_to >= :today)
                """).param("today", TODAY).query(Long.class).single()).isEqualTo(1);
    }

}
