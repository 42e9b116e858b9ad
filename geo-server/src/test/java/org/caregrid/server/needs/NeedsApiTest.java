package org.caregrid.server.needs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.caregrid.server.config.Today;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The needs list and the supply list on the two-grids fixture: person 1 (grid 1, community 甲) needs medicine
 * delivery by profile, person 2 (grid 2, community 乙) companionship, person 4 (grid 1) nothing yet; person 3 is
 * a volunteer living at A2栋. The needs-open metric runs first, on needs whose days are set by hand; the API
 * flow follows on the needs it opens itself.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NeedsApiTest extends ServerTest {

    private static final String STREET = "510104020000";
    private static final String COMMUNITY_A = "510104020001";
    private static final String COMMUNITY_B = "510104020002";
    /** The configured zone, in which a need's days are counted. */
    private static final java.time.ZoneId ZONE = java.time.ZoneId.of("Asia/Shanghai");

    @Autowired
    Today today;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "needs_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", STREET, null, null);
        user("worker", "GRID_WORKER", null, 1L, null);
        user("worker_b", "GRID_WORKER", null, 2L, null);
        jdbc.sql("INSERT INTO micro_organisation (id, name, kind, area_code) OVERRIDING SYSTEM VALUE VALUES "
                + "(1, '甲社区助老队', '志愿服务', '" + COMMUNITY_A + "'), (2, '乙社区便民店', '便民服务', '" + COMMUNITY_B + "')")
                .update();
    }

    @Test
    @Order(1)
    void profileNeedsAreOpenFromTheStart() {
        assertThat(jdbc.sql("SELECT key_person_id || ':' || kind || ':' || source || ':' || status FROM need ORDER BY id")
                .query(String.class).list())
                .containsExactly("1:medicine_delivery:profile:open", "2:companionship:profile:open");
    }

    /** Needs waiting for a taker more than 7 days (the default) are the gaps, on the day and on an earlier one. */
    @Test
    @Order(2)
    void needsOpenLongerThanNDaysPerGridCommunityAndStreet() {
        LocalDate d = today.date();
        long supply = jdbc.sql("""
                INSERT INTO supply (provider_kind, organisation_id, kind, area_code, location, capacity_per_week,
                                    starts_on, created_by)
                VALUES ('micro_organisation', 1, 'garbage_pickup', :a, ST_SetSRID(ST_MakePoint(104.003, 30.003), 4326), 5,
                        :d - 60, 'test') RETURNING id
                """).param("a", COMMUNITY_A).param("d", d).query(Long.class).single();
        // grid 1: opened D-10 (open), D-3 (open), D-20 taken D-5, D-30 escalated D-2; grid 2: opened D-8 (open)
        setOpened(1, "medicine_delivery", d.minusDays(10));
        setOpened(2, "companionship", d.minusDays(8));
        jdbc.sql("""
                INSERT INTO need (key_person_id, kind, source, status, opened_at, taken_at, taken_supply_id,
                                  escalated_at, escalation_note)
                VALUES (4, 'meal_ordering', 'profile', 'open', :d3, NULL, NULL, NULL, NULL),
                       (4, 'garbage_pickup', 'profile', 'taken', :d20, :d5, :supply, NULL, NULL),
                       (1, 'psychological_support', 'profile', 'escalated', :d30, NULL, NULL, :d2, '需街道协调心理咨询师')
                """).param("d3", noon(d.minusDays(3))).param("d20", noon(d.minusDays(20))).param("d5", noon(d.minusDays(5)))
                .param("supply", supply).param("d30", noon(d.minusDays(30))).param("d2", noon(d.minusDays(2))).update();

        assertThat(figures("admin", "grid=1&asOf=" + d)).containsExactly(2L, 1L);
        assertThat(figures("admin", "grid=2&asOf=" + d)).containsExactly(1L, 1L);
        assertThat(figures("admin", "area=" + COMMUNITY_A + "&asOf=" + d)).containsExactly(2L, 1L);
        assertThat(figures("admin", "area=" + COMMUNITY_B + "&asOf=" + d)).containsExactly(1L, 1L);
        assertThat(figures("admin", "area=" + STREET + "&asOf=" + d)).containsExactly(3L, 2L);
        // six days earlier: the taken and the escalated need were still waiting (14 and 24 days), D-3's was not yet open
        LocalDate earlier = d.minusDays(6);
        assertThat(figures("admin", "grid=1&asOf=" + earlier)).containsExactly(3L, 2L);
        assertThat(figures("admin", "grid=2&asOf=" + earlier)).containsExactly(1L, 0L);
        assertThat(figures("admin", "area=" + STREET + "&asOf=" + earlier)).containsExactly(4L, 2L);
        // planners read the figures (and only those)
        assertThat(figures("planner", "area=" + STREET + "&asOf=" + d)).containsExactly(3L, 2L);
        get("planner", "/api/needs").exchange().expectStatus().isForbidden();

        // the limit's last day: opened 7 days before at the first second of that day (local) is still in time; a
        // second earlier it is 8 days
        LocalDate sevenBefore = d.minusDays(7);
        jdbc.sql("UPDATE need SET opened_at = :at WHERE key_person_id = 2 AND kind = 'companionship'")
                .param("at", sevenBefore.atStartOfDay(ZONE).toOffsetDateTime()).update();
        assertThat(figures("admin", "grid=2&asOf=" + d)).containsExactly(1L, 0L);
        jdbc.sql("UPDATE need SET opened_at = :at WHERE key_person_id = 2 AND kind = 'companionship'")
                .param("at", sevenBefore.atStartOfDay(ZONE).minusSeconds(1).toOffsetDateTime())
                .update();
        assertThat(figures("admin", "grid=2&asOf=" + d)).containsExactly(1L, 1L);

        // back to a clean slate for the API flow: these needs are done with
        jdbc.sql("UPDATE need SET status = 'done', done_at = now(), taken_at = coalesce(taken_at, now()), "
                + "taken_supply_id = coalesce(taken_supply_id, :s) WHERE status <> 'done'").param("s", supply).update();
        jdbc.sql("UPDATE supply SET ended_on = :d - 1").param("d", d).update();
        // the street's counts were kept from the reads above: the needs' own change must make them count again
        assertThat(figures("admin", "area=" + STREET + "&asOf=" + d)).containsExactly(0L, 0L);
        assertThat(figures("admin", "grid=1&asOf=" + d)).containsExactly(0L, 0L);
    }

    @Test
    @Order(3)
    void aVisitsNeedsFoundBecomeOpenNeedsOncePerKind() {
        // a profile need of person 1 is open again (medicine delivery), then a visit finds it and shopping too
        jdbc.sql("UPDATE key_person SET needs = '{}' WHERE person_id = 1").update();
        jdbc.sql("UPDATE key_person SET needs = ARRAY['medicine_delivery'] WHERE person_id = 1").update();
        send("worker", HttpMethod.POST, "/api/visits", """
                {"keyPersonId":1,"method":"door","needsFound":["shopping","medicine_delivery"],"findings":"冰箱空了"}
                """, null, 201);
        Map<String, Object> page = page("worker", "/api/needs?person=1&status=open");
        assertThat(page.get("total")).isEqualTo(2);
        List<Map<String, Object>> items = items(page);
        assertThat(items).extracting(i -> i.get("kind") + ":" + i.get("source") + ":" + i.get("urgency"))
                .containsExactlyInAnyOrder("medicine_delivery:profile:urgent", "shopping:visit:urgent");
        // the grid worker reads phone numbers in full; the list was audited with its purpose
        assertThat(items.get(0).get("person")).isEqualTo("张秀英");
        assertThat(items.get(0).get("phone")).isEqualTo("13812345678");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'worker' AND endpoint = 'GET /api/needs' "
                + "AND purpose = 'visit'").query(Long.class).single()).isEqualTo(1L);
        // the same visit again opens nothing new
        send("worker", HttpMethod.POST, "/api/visits", """
                {"keyPersonId":1,"method":"phone","needsFound":["shopping"]}
                """, null, 201);
        assertThat(page("worker", "/api/needs?person=1&status=open").get("total")).isEqualTo(2);
        // the other grid's worker does not see them
        assertThat(page("worker_b", "/api/needs?person=1").get("total")).isEqualTo(0);
    }

    @Test
    @Order(4)
    void matchesRankNearWithPlacesFirstThenFartherThenFull() {
        long near = supply("""
                {"providerKind":"micro_organisation","organisationId":1,"kind":"shopping","areaCode":"510104020001",
                 "location":{"lat":30.002,"lon":104.0025},"capacityPerWeek":2,"times":"周一至周五 9:00-17:00"}
                """);
        // the volunteer's offer starts from their home (A2栋) and serves the whole street
        long far = supply("""
                {"providerKind":"volunteer","volunteerPersonId":3,"kind":"shopping","areaCode":"510104020000","capacityPerWeek":5}
                """);
        long full = supply("""
                {"providerKind":"organisation","organisationId":1,"kind":"shopping","areaCode":"510104020001",
                 "location":{"lat":30.002,"lon":104.0021},"capacityPerWeek":1}
                """);
        supply("""
                {"providerKind":"micro_organisation","organisationId":1,"kind":"meal_ordering","areaCode":"510104020001",
                 "location":{"lat":30.002,"lon":104.0021},"capacityPerWeek":9}
                """);
        supply("""
                {"providerKind":"micro_organisation","organisationId":2,"kind":"shopping","areaCode":"510104020002",
                 "location":{"lat":30.002,"lon":104.0021},"capacityPerWeek":9}
                """);
        // person 4's shopping need takes the one place of the nearest supply this week
        jdbc.sql("UPDATE key_person SET needs = ARRAY['shopping'] WHERE person_id = 4").update();
        long other = needId(4, "shopping");
        send("worker", HttpMethod.POST, "/api/needs/" + other + "/take", "{\"supplyId\":" + full + "}", null, 200);
        // person 1's shopping need finds it full, and nothing changes
        long need = needId(1, "shopping");
        send("worker", HttpMethod.POST, "/api/needs/" + need + "/take", "{\"supplyId\":" + full + "}", null, 409);
        assertThat(jdbc.sql("SELECT status FROM need WHERE id = :id").param("id", need).query(String.class).single())
                .isEqualTo("open");
        // a supply for community 甲 does not serve person 2 in community 乙
        jdbc.sql("UPDATE key_person SET needs = ARRAY['shopping'] WHERE person_id = 2").update();
        Map<String, Object> elsewhere = send("admin", HttpMethod.POST, "/api/needs/" + needId(2, "shopping") + "/take",
                "{\"supplyId\":" + near + "}", null, 400);
        assertThat(firstField(elsewhere)).isEqualTo("supplyId");

        Map<String, Object> ranking = json("worker", "/api/needs/" + need + "/matches", 200);
        assertThat(ranking.get("distanceSource")).isEqualTo("straight-line estimate");
        List<Map<String, Object>> matches = list(ranking.get("matches"));
        assertThat(matches).extracting(m -> ((Number) m.get("supplyId")).longValue()).containsExactly(near, far, full);
        assertThat(matches).extracting(m -> ((Number) m.get("remaining")).longValue()).containsExactly(2L, 5L, 0L);
        assertThat(matches).extracting(m -> m.get("estimate")).containsOnly(true);
        // the straight line from person 1's home, times the detour factor 1.3, to a tenth of a metre
        for (Map<String, Object> m : matches) {
            double expected = jdbc.sql("""
                    SELECT round((ST_Distance(coalesce(p.location, u.entrance, b.entrance)::geography,
                                              s.location::geography) * 1.3 * 10)::numeric) / 10
                      FROM supply s, person p LEFT JOIN unit u ON u.id = p.unit_id LEFT JOIN building b ON b.id = p.building_id
                     WHERE s.id = :id AND p.id = 1
                    """).param("id", ((Number) m.get("supplyId")).longValue()).query(Double.class).single();
            assertThat(((Number) m.get("distanceM")).doubleValue()).isEqualTo(expected);
        }
        assertThat(((Number) matches.get(0).get("distanceM")).doubleValue()).isLessThan(100);
        assertThat(((Number) matches.get(1).get("distanceM")).doubleValue()).isGreaterThan(300);
    }

    @Test
    @Order(5)
    void takeThenDoneWithIfMatchAndAStaleVersionGets412() {
        long need = needId(1, "shopping");
        long near = jdbc.sql("SELECT min(id) FROM supply WHERE kind = 'shopping' AND capacity_per_week = 2")
                .query(Long.class).single();
        int version = version(need);
        Map<String, Object> stale = send("worker", HttpMethod.POST, "/api/needs/" + need + "/take",
                "{\"supplyId\":" + near + "}", "\"" + (version + 5) + "\"", 412);
        assertThat(stale.get("status")).isEqualTo(412);
        assertThat(status(need)).isEqualTo("open");

        long historyBefore = history(need);
        Map<String, Object> taken = send("worker", HttpMethod.POST, "/api/needs/" + need + "/take",
                "{\"supplyId\":" + near + ",\"note\":\"周三下午送到\"}", "\"" + version + "\"", 200);
        assertThat(taken.get("status")).isEqualTo("taken");
        assertThat(((Number) taken.get("supplyId")).longValue()).isEqualTo(near);
        assertThat(((Number) taken.get("version")).intValue()).isEqualTo(version + 1);
        // taken again: the status says no
        send("worker", HttpMethod.POST, "/api/needs/" + need + "/take", "{\"supplyId\":" + near + "}", null, 409);
        // done against the version before the take: 412, still taken
        send("worker", HttpMethod.POST, "/api/needs/" + need + "/done", "{}", "\"" + version + "\"", 412);
        assertThat(status(need)).isEqualTo("taken");
        Map<String, Object> done = send("worker", HttpMethod.POST, "/api/needs/" + need + "/done", "{\"note\":\"已送达\"}",
                "\"" + (version + 1) + "\"", 200);
        assertThat(done.get("status")).isEqualTo("done");
        assertThat(history(need)).isEqualTo(historyBefore + 2);
        assertThat(page("worker", "/api/needs?person=1&status=done&kind=shopping").get("total")).isEqualTo(1);
        // the supply has used one of its two places this week
        Map<String, Object> supply = json("worker", "/api/supplies/" + near, 200);
        assertThat(((Number) supply.get("usedThisWeek")).longValue()).isEqualTo(1L);
    }

    @Test
    @Order(6)
    void aNeedOutOfScopeIsNotFoundAndNothingIsWritten() {
        long need = needId(1, "medicine_delivery");
        int version = version(need);
        long history = history(need);
        long supply = jdbc.sql("SELECT min(id) FROM supply WHERE kind = 'shopping'").query(Long.class).single();
        send("worker_b", HttpMethod.POST, "/api/needs/" + need + "/escalate", "{\"note\":\"越权\"}", null, 404);
        send("worker_b", HttpMethod.POST, "/api/needs/" + need + "/take", "{\"supplyId\":" + supply + "}", null, 404);
        json("worker_b", "/api/needs/" + need + "/matches", 404);
        assertThat(version(need)).isEqualTo(version);
        assertThat(history(need)).isEqualTo(history);
        assertThat(status(need)).isEqualTo("open");

        // escalated by the grid's own worker, with a note
        Map<String, Object> escalated = send("worker", HttpMethod.POST, "/api/needs/" + need + "/escalate",
                "{\"note\":\"社区无药师，需街道协调\"}", null, 200);
        assertThat(escalated.get("status")).isEqualTo("escalated");
        assertThat(escalated.get("escalationNote")).isEqualTo("社区无药师，需街道协调");
    }

    @Test
    @Order(7)
    void fieldErrorsNameTheFieldInChineseAndEnglish() {
        long need = needId(4, "shopping");
        Map<String, Object> zh = send("worker", HttpMethod.POST, "/api/needs/" + need + "/escalate", "{}", null, 400);
        assertThat(firstField(zh)).isEqualTo("note");
        assertThat(firstMessage(zh)).isEqualTo("必填");
        Map<String, Object> en = send("worker", HttpMethod.POST, "/api/needs/" + need + "/escalate", "{}", null, "en", 400);
        assertThat(firstMessage(en)).isEqualTo("is required");

        Map<String, Object> noSupply = send("worker", HttpMethod.POST, "/api/needs/" + need + "/take", "{}", null, "en", 400);
        assertThat(firstField(noSupply)).isEqualTo("supplyId");

        Map<String, Object> badSupply = send("admin", HttpMethod.POST, "/api/supplies", """
                {"providerKind":"shop","kind":"haircut","areaCode":"5101","capacityPerWeek":0}
                """, null, "en", 400);
        assertThat(fields(badSupply)).containsExactlyInAnyOrder("providerKind", "kind", "areaCode", "capacityPerWeek");
        Map<String, Object> zhSupply = send("admin", HttpMethod.POST, "/api/supplies", """
                {"providerKind":"micro_organisation","organisationId":1,"kind":"shopping","areaCode":"510104020001","capacityPerWeek":3}
                """, null, 400);
        assertThat(firstField(zhSupply)).isEqualTo("location");
        assertThat(firstMessage(zhSupply)).isEqualTo("请给出位置；该提供方没有登记位置");

        // a supply is ended, not deleted: it leaves the matches and stays in the list of all
        long near = jdbc.sql("SELECT min(id) FROM supply WHERE kind = 'shopping' AND capacity_per_week = 2")
                .query(Long.class).single();
        Map<String, Object> ended = send("worker", HttpMethod.PATCH, "/api/supplies/" + near,
                "{\"endedOn\":\"" + today.date().minusDays(1) + "\",\"reason\":\"助老队解散\"}", "\"1\"", 200);
        assertThat(ended.get("active")).isEqualTo(false);
        assertThat(list(json("worker", "/api/needs/" + need + "/matches", 200).get("matches")))
                .extracting(m -> ((Number) m.get("supplyId")).longValue()).doesNotContain(near);
        assertThat(supplies("worker", "/api/supplies?kind=shopping&all=true")).contains(near);
        assertThat(supplies("worker", "/api/supplies?kind=shopping")).doesNotContain(near);
    }

    /**
     * A need is seen where its person lives (its policy reads the place it carries): moved by the register to the other
     * grid, the person takes their needs along (done ones too), each a new version with its history, and only that
     * grid's worker sees them; a need opened afterwards is placed there too.
     */
    @Test
    @Order(8)
    void aPersonWhoMovesTakesTheirNeedsAlong() {
        long need = jdbc.sql("SELECT id FROM need WHERE key_person_id = 2 AND kind = 'companionship'")
                .query(Long.class).single();
        int version = version(need);
        long history = history(need);
        long needs = jdbc.sql("SELECT count(*) FROM need WHERE key_person_id = 2").query(Long.class).single();
        assertThat(needs).isPositive();
        assertThat(page("worker_b", "/api/needs?person=2").get("total")).isEqualTo((int) needs);
        assertThat(page("worker", "/api/needs?person=2").get("total")).isEqualTo(0);
        int personVersion = jdbc.sql("SELECT version FROM person WHERE id = 2").query(Integer.class).single();

        send("admin", HttpMethod.PATCH, "/api/persons/2", "{\"buildingId\":1,\"room\":\"203\",\"reason\":\"搬家\"}",
                "\"" + personVersion + "\"", 200);

        assertThat(place(need)).isEqualTo(COMMUNITY_A + ":1");
        assertThat(version(need)).isEqualTo(version + 1);
        assertThat(history(need)).isEqualTo(history + 1);
        assertThat(jdbc.sql("SELECT count(*) FROM need WHERE key_person_id = 2 AND area_code = :a AND grid_id = 1")
                .param("a", COMMUNITY_A).query(Long.class).single()).isEqualTo(needs);
        assertThat(page("worker", "/api/needs?person=2").get("total")).isEqualTo((int) needs);
        assertThat(page("worker_b", "/api/needs?person=2").get("total")).isEqualTo(0);

        send("worker", HttpMethod.POST, "/api/visits",
                "{\"keyPersonId\":2,\"method\":\"door\",\"needsFound\":[\"homework_help\"]}", null, 201);
        long opened = needId(2, "homework_help");
        assertThat(place(opened)).isEqualTo(COMMUNITY_A + ":1");
        json("worker", "/api/needs/" + opened + "/matches", 200);
        json("worker_b", "/api/needs/" + opened + "/matches", 404);
        assertThat(page("worker", "/api/needs?person=2").get("total")).isEqualTo((int) needs + 1);
    }

    private String place(long need) {
        return jdbc.sql("SELECT area_code || ':' || grid_id FROM need WHERE id = :id").param("id", need)
                .query(String.class).single();
    }

    private void setOpened(long person, String kind, LocalDate day) {
        jdbc.sql("UPDATE need SET opened_at = :at WHERE key_person_id = :p AND kind = :k")
                .param("at", noon(day)).param("p", person).param("k", kind).update();
    }

    private static java.time.OffsetDateTime noon(LocalDate day) {
        return day.atTime(12, 0).atZone(ZONE).toOffsetDateTime();
    }

    @SuppressWarnings("unchecked")
    private List<Long> figures(String user, String query) {
        Map<String, Object> summary = get(user, "/api/coverage/summary?" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        Map<String, Object> metric = ((List<Map<String, Object>>) summary.get("metrics")).stream()
                .filter(m -> "needs-open".equals(m.get("id"))).findFirst().orElseThrow();
        Map<String, Object> area = (Map<String, Object>) metric.get("area");
        return List.of(((Number) area.get("total")).longValue(), ((Number) area.get("gaps")).longValue());
    }

    private long supply(String json) {
        return ((Number) send("admin", HttpMethod.POST, "/api/supplies", json, null, 201).get("id")).longValue();
    }

    private List<Long> supplies(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult()
                .getResponseBody().stream().map(s -> ((Number) s.get("id")).longValue()).toList();
    }

    private Map<String, Object> page(String user, String uri) {
        return json(user, uri, 200);
    }

    private Map<String, Object> json(String user, String uri, int status) {
        return get(user, uri).exchange().expectStatus().isEqualTo(status)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private long needId(long person, String kind) {
        return jdbc.sql("SELECT id FROM need WHERE key_person_id = :p AND kind = :k AND status <> 'done'")
                .param("p", person).param("k", kind).query(Long.class).single();
    }

    private int version(long need) {
        return jdbc.sql("SELECT version FROM need WHERE id = :id").param("id", need).query(Integer.class).single();
    }

    private String status(long need) {
        return jdbc.sql("SELECT status FROM need WHERE id = :id").param("id", need).query(String.class).single();
    }

    private long history(long need) {
        return jdbc.sql("SELECT count(*) FROM change_history WHERE entity = 'need' AND entity_id = :id")
                .param("id", need).query(Long.class).single();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static String firstMessage(Map<String, Object> problem) {
        return (String) ((List<Map<String, Object>>) problem.get("errors")).get(0).get("message");
    }

    @SuppressWarnings("unchecked")
    private static List<String> fields(Map<String, Object> problem) {
        return ((List<Map<String, Object>>) problem.get("errors")).stream().map(e -> (String) e.get("field")).toList();
    }
}
