package org.caregrid.server.callout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import org.caregrid.routing.Place;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoReserve;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
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
 * The call-out of the reserve (社区呼叫、单位报到) on the Monaco fixture and its real road network. The
 * reserve of grid 1, as the street dispatcher sees it: street-tier volunteers 7 (Rue des Orangers 2),
 * 30 (Lujerneta 2) and 31 (Fontvieille 24, the only first-aider), county-tier unit staff 32 (a 'reserve'
 * assignment, no volunteer; Quai Rey 28), city-tier volunteers 33 (Orangers 2) and 8 (Monte Carlo). The
 * call-out gathers at the community office (Place de la Mairie).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CalloutApiTest extends ServerTest {

    private static final Place OFFICE = new Place("office", 43.7307910, 7.4237280);
    private static final String NEW_CALLOUT = """
            {"gridId":%d,"needed":2,"skills":["first_aid"],"startsAt":"2026-11-20T09:00:00+08:00","hours":2.5}""";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MonacoRoads.register(registry, "callout");
    }

    @Autowired
    RoutingService routing;

    private static long calloutId;

    @BeforeAll
    void loadFixture() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        MonacoReserve.load(jdbc);
        // in the far street: its street member answers for that street only, its city member for the whole city
        jdbc.sql("""
                INSERT INTO person (id, name, phone, area_code) OVERRIDING SYSTEM VALUE VALUES
                  (40, '卫远街', '13900000040', '990101002001'),
                  (41, '蒋远市', '13900000041', '990101002001')
                """).update();
        jdbc.sql("""
                INSERT INTO volunteer (person_id, travel_mode, home, is_reserve, reserve_tier) VALUES
                  (40, 'foot', ST_SetSRID(ST_MakePoint(7.51, 43.81), 4326), true, 'street'),
                  (41, 'foot', ST_SetSRID(ST_MakePoint(7.51, 43.81), 4326), true, 'city')
                """).update();
        jdbc.sql("UPDATE volunteer SET is_reserve = true, reserve_tier = 'city' WHERE person_id = 8").update();
        // volunteer 31 is responsible (包保) for key person 1, so may record visits to her
        jdbc.sql("""
                INSERT INTO role_assignment (person_id, role, scope_type, scope_person_id, valid_from)
                VALUES (31, 'responsible', 'person', 1, DATE '2026-01-01')
                """).update();
        user("admin", "ADMIN", null, null, null);
        user("dispatcher", "DISPATCHER", "990101001000", null, null);
        user("grid_worker", "GRID_WORKER", null, 1L, 9L);
        user("grid_worker_2", "GRID_WORKER", null, 2L, null);
        user("planner", "PLANNER", "990101001000", null, null);
        user("volunteer_31", "VOLUNTEER", null, 1L, 31L);
        MonacoRoads.awaitReady(routing);
    }

    @Test
    @Order(1)
    void candidatesAreRankedByTierThenSkillsThenWalkingDistance() {
        Map<String, Object> created = send("dispatcher", HttpMethod.POST, "/api/callouts", NEW_CALLOUT.formatted(1), null, 201);
        calloutId = ((Number) created.get("id")).longValue();
        assertThat(created).containsEntry("needed", 2).containsEntry("filled", 0).containsEntry("status", "open")
                .containsEntry("areaCode", "990101001001").containsEntry("lat", 43.730791).containsEntry("lon", 7.423728);
        List<Map<String, Object>> candidates = candidates(created);
        // street first (the first-aider ahead of nearer members), then the county's unit staff, then the city
        assertThat(candidates).extracting(c -> ((Number) c.get("personId")).longValue())
                .containsExactly(31L, 7L, 30L, 32L, 33L, 8L);
        assertThat(candidates).extracting(c -> c.get("tier"))
                .containsExactly("street", "street", "street", "county", "city", "city");
        assertThat(candidates).extracting(c -> c.get("skillsMatched")).containsExactly(1, 0, 0, 0, 0, 0);
        assertThat(candidates).extracting(c -> c.get("rank")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(candidates).extracting(c -> c.get("estimate")).containsOnly(false);
        // the distances are the routing library's own walks on the same graph
        assertThat((Double) candidates.get(1).get("distanceM")).isEqualTo(walk(43.7335118, 7.4203302));
        assertThat((Double) candidates.get(2).get("distanceM")).isEqualTo(walk(43.7298367, 7.4163873));
        assertThat((Double) candidates.get(1).get("distanceM")).isLessThan((Double) candidates.get(2).get("distanceM"));
        // names for those who read names; phones masked for a role without READ_PHONE, and the list audited
        assertThat(candidates.get(0)).containsEntry("name", "冯急救");
        assertThat((String) candidates.get(0).get("phone")).doesNotContain("13900000031");
        assertThat(jdbc.sql("""
                SELECT count(*) FROM audit_log WHERE username = 'dispatcher' AND endpoint = :e
                   AND detail -> 'person_ids' @> '[31, 7, 30, 32, 33, 8]'""")
                .param("e", "GET /api/callouts/" + calloutId).query(Long.class).single()).isEqualTo(1L);

        // the administrator sees everyone: the far street's street member is not called, its city member is, last
        // (no walk reaches the far street: the straight line, marked as an estimate)
        List<Map<String, Object>> everyone = candidates(json("admin", "/api/callouts/" + calloutId));
        assertThat(everyone).extracting(c -> ((Number) c.get("personId")).longValue())
                .containsExactly(31L, 7L, 30L, 32L, 33L, 8L, 41L);
        assertThat(everyone.get(6)).containsEntry("estimate", true).containsEntry("tier", "city");

        // the grid worker of grid 1 sees only grid 1's people: the Monte Carlo member is not a candidate
        Map<String, Object> seenByGridWorker = json("grid_worker", "/api/callouts/" + calloutId);
        assertThat(candidates(seenByGridWorker)).extracting(c -> ((Number) c.get("personId")).longValue())
                .containsExactly(31L, 7L, 30L, 32L, 33L);
        assertThat(candidates(seenByGridWorker).get(0)).containsEntry("phone", "13900000031");
    }

    @Test
    @Order(2)
    void answersFillTheCallOutAndAnAnswerAfterItIsFilledIsRefusedInWords() {
        String uri = "/api/callouts/" + calloutId + "/responses";
        assertThat(firstField(send("dispatcher", HttpMethod.POST, uri, "{\"personId\":31,\"accept\":true}", null, 400)))
                .isEqualTo("If-Match");
        Map<String, Object> one = send("dispatcher", HttpMethod.POST, uri, "{\"personId\":31,\"accept\":true}", "\"1\"", 200);
        assertThat(one).containsEntry("filled", 1).containsEntry("status", "open").containsEntry("version", 2);
        // an old version is stale; a declined answer fills nothing
        send("dispatcher", HttpMethod.POST, uri, "{\"personId\":7,\"accept\":false}", "\"1\"", 412);
        Map<String, Object> declined = send("dispatcher", HttpMethod.POST, uri, "{\"personId\":7,\"accept\":false}", "\"2\"", 200);
        assertThat(declined).containsEntry("filled", 1).containsEntry("version", 3);
        assertThat(candidates(declined).get(1)).containsEntry("personId", 7).containsEntry("response", "declined");
        // someone who is not in the reserve, and someone who already answered
        assertThat(firstField(send("dispatcher", HttpMethod.POST, uri, "{\"personId\":9,\"accept\":true}", "\"3\"", 400)))
                .isEqualTo("personId");
        send("dispatcher", HttpMethod.POST, uri, "{\"personId\":31,\"accept\":true}", "\"3\"", 409);
        Map<String, Object> filled = send("grid_worker", HttpMethod.POST, uri, "{\"personId\":30,\"accept\":true}", "\"3\"", 200);
        assertThat(filled).containsEntry("filled", 2).containsEntry("needed", 2).containsEntry("status", "filled");

        Map<String, Object> zh = send("dispatcher", HttpMethod.POST, uri, "{\"personId\":32,\"accept\":true}", "\"4\"", 409);
        assertThat(zh.get("detail")).isEqualTo("呼叫 " + calloutId + " 已满员（2/2 人），不再接受答复");
        Map<String, Object> en = send("dispatcher", HttpMethod.POST, uri, "{\"personId\":32,\"accept\":true}", "\"4\"", "en", 409);
        assertThat(en.get("detail")).isEqualTo("Call-out " + calloutId + " is filled (2 of 2): it takes no more answers");
        assertThat(jdbc.sql("SELECT count(*) FROM callout_response WHERE callout_id = :id").param("id", calloutId)
                .query(Long.class).single()).isEqualTo(3L);

        Map<String, Object> closed = send("dispatcher", HttpMethod.POST, "/api/callouts/" + calloutId + "/close",
                "{\"reason\":\"人已到齐\"}", "\"4\"", 200);
        assertThat(closed).containsEntry("status", "closed").containsEntry("filled", 2);
        send("dispatcher", HttpMethod.POST, "/api/callouts/" + calloutId + "/close", "{}", "\"5\"", 409);
        assertThat(jdbc.sql("""
                SELECT string_agg(action || ':' || coalesce(reason, ''), ',' ORDER BY id) FROM change_history
                 WHERE entity = 'callout' AND entity_id = :id""").param("id", calloutId).query(String.class).single())
                .isEqualTo("create:,update:,update:,update:,update:人已到齐");
    }

    @Test
    @Order(3)
    void acceptedDutyAndAVolunteersVisitsAreServiceTimeInTheMonthsSheet() {
        // volunteer 31 visits key person 1 the next day; the grid worker (no volunteer) visits too
        send("volunteer_31", HttpMethod.POST, "/api/visits",
                "{\"keyPersonId\":1,\"method\":\"door\",\"visitedAt\":\"2026-11-21T10:00:00+08:00\"}", null, 201);
        send("grid_worker", HttpMethod.POST, "/api/visits",
                "{\"keyPersonId\":1,\"method\":\"phone\",\"visitedAt\":\"2026-11-21T11:00:00+08:00\"}", null, 201);
        assertThat(jdbc.sql("""
                SELECT string_agg(volunteer_person_id || ' ' || service_date || ' ' || kind || ' ' || minutes || ' '
                                  || households, ', ' ORDER BY volunteer_person_id, service_date)
                  FROM service_record""").query(String.class).single())
                .isEqualTo("30 2026-11-20 callout 150 0, 31 2026-11-20 callout 150 0, 31 2026-11-21 visit 30 1");

        Map<String, Object> sheet = json("dispatcher", "/api/reports/volunteer-service?month=2026-11&grid=1");
        Map<String, Object> feng = sheetLine(sheet, 31);
        // 2.5 hours of duty and a visit of 30 minutes (caregrid.subsidy.visit-minutes) on two days
        assertThat(feng).containsEntry("days", 2).containsEntry("minutes", 180).containsEntry("households", 1);
        assertThat(money(feng.get("hours"))).isEqualTo("3.00");
        assertThat(money(feng.get("km"))).isEqualTo("0.00");
        assertThat(money(feng.get("meals"))).isEqualTo("30.00");
        assertThat(money(feng.get("subsidy"))).isEqualTo("30.00");
        Map<String, Object> qian = sheetLine(sheet, 30);
        assertThat(qian).containsEntry("days", 1).containsEntry("minutes", 150);
        assertThat(money(qian.get("hours"))).isEqualTo("2.50");
        assertThat(money(qian.get("subsidy"))).isEqualTo("15.00");
        @SuppressWarnings("unchecked")
        Map<String, Object> total = (Map<String, Object>) sheet.get("total");
        assertThat(total).containsEntry("minutes", 330);
        assertThat(money(total.get("subsidy"))).isEqualTo("45.00");
    }

    @Test
    @Order(4)
    void outOfScopeIsNotFoundAndWritesNothing() {
        long before = jdbc.sql("SELECT count(*) FROM callout").query(Long.class).single();
        Map<String, Object> problem = send("grid_worker", HttpMethod.POST, "/api/callouts", NEW_CALLOUT.formatted(2), null, 404);
        assertThat(problem.get("detail")).isEqualTo("找不到网格 2，或不在您的管辖范围内");
        send("grid_worker", HttpMethod.POST, "/api/callouts",
                "{\"areaCode\":\"990101001000\",\"needed\":1,\"startsAt\":\"2026-11-20T09:00:00+08:00\",\"hours\":1}", null, 404);
        assertThat(jdbc.sql("SELECT count(*) FROM callout").query(Long.class).single()).isEqualTo(before);
        get("grid_worker_2", "/api/callouts/" + calloutId).exchange().expectStatus().isNotFound();
        send("grid_worker_2", HttpMethod.POST, "/api/callouts/" + calloutId + "/close", "{}", "\"5\"", 404);
        get("planner", "/api/callouts/" + calloutId).exchange().expectStatus().isForbidden();

        // an area call-out by the dispatcher gathers at the first community office inside the street
        Map<String, Object> area = send("dispatcher", HttpMethod.POST, "/api/callouts",
                "{\"areaCode\":\"990101001000\",\"needed\":1,\"startsAt\":\"2026-11-20T09:00:00+08:00\",\"hours\":1}", null, 201);
        assertThat(area).containsEntry("areaCode", "990101001000").containsEntry("lat", 43.730791);
        assertThat(candidates(area)).hasSize(6);
    }

    @Test
    @Order(5)
    void fieldErrorsAreNamedInBothLanguages() {
        Map<String, Object> zh = send("dispatcher", HttpMethod.POST, "/api/callouts",
                "{\"gridId\":1,\"areaCode\":\"990101001001\",\"needed\":0,\"hours\":25,\"skills\":[\"\"]}", null, 400);
        assertThat(errors(zh)).containsExactly(
                Map.of("field", "gridId", "message", "请给出网格（gridId）或区划代码（areaCode）之一，不能同时给出"),
                Map.of("field", "needed", "message", "需要人数应为 1 到 500 之间的整数"),
                Map.of("field", "startsAt", "message", "必填"),
                Map.of("field", "hours", "message", "时长应大于 0 小时、不超过 24 小时，最多两位小数"),
                Map.of("field", "skills", "message", "技能最多 20 项，每项不能为空、不超过 50 个字"));
        Map<String, Object> en = send("dispatcher", HttpMethod.POST, "/api/callouts",
                "{\"areaCode\":\"99\",\"needed\":3,\"startsAt\":\"2026-11-20T09:00:00+08:00\",\"hours\":1.255}", null, "en", 400);
        assertThat(errors(en)).containsExactly(
                Map.of("field", "areaCode", "message", "an area code has 12 digits; got \"99\""),
                Map.of("field", "hours", "message", "must be more than 0 and at most 24 hours, with at most two decimals"));
        assertThat(firstField(send("dispatcher", HttpMethod.POST, "/api/callouts/" + calloutId + "/responses",
                "{\"accept\":true}", "\"5\"", "en", 400))).isEqualTo("personId");
    }

    /**
     * The reserve ratio (1:3) counts a grid's street-tier members, living in or assigned to it. Grid 1: one
     * grid worker (9), street members 7, 30 and 31; the city member 33 living there and the county's unit
     * staff 32 do not count: 3.0, met. Grid 2: one community worker (5); city member 8 lives there and is
     * assigned with county tier (neither counts), 33 is assigned to it with street tier (counts): 1.0, a gap.
     */
    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    void theReserveRatioCountsStreetTierMembersPerGrid() {
        jdbc.sql("""
                INSERT INTO role_assignment (person_id, role, scope_type, scope_grid_id, tier, valid_from) VALUES
                  (9, 'grid_worker', 'grid', 1, NULL, DATE '2026-01-01'),
                  (5, 'community_worker', 'grid', 2, NULL, DATE '2026-01-01'),
                  (8, 'reserve', 'grid', 2, 'county', DATE '2026-01-01'),
                  (33, 'reserve', 'grid', 2, 'street', DATE '2026-01-01')
                """).update();
        Map<String, Object> street = json("dispatcher", "/api/coverage/summary?area=990101001000");
        Map<String, Object> reserve = ((List<Map<String, Object>>) street.get("metrics")).stream()
                .filter(m -> m.get("id").equals("reserve")).findFirst().orElseThrow();
        assertThat((Map<String, Object>) reserve.get("area")).containsEntry("total", 2).containsEntry("ok", 1)
                .containsEntry("gaps", 1);
        assertThat((List<Map<String, Object>>) reserve.get("children"))
                .extracting(c -> c.get("code"), c -> c.get("total"), c -> c.get("ok"))
                .containsExactly(tuple("990101001001", 1, 1), tuple("990101001002", 1, 0));
        Map<String, Object> grids = json("dispatcher", "/api/coverage/reserve?area=990101001000&status=all");
        assertThat((List<Map<String, Object>>) grids.get("items"))
                .extracting(i -> i.get("id"), i -> i.get("value"), i -> i.get("ok"))
                .containsExactlyInAnyOrder(tuple("2", 1.0, false), tuple("1", 3.0, true));
        // the maintained state agrees with the metric's own query
        assertThat(jdbc.sql("""
                SELECT string_agg(grid_id || ':' || person_id, ',' ORDER BY grid_id, person_id)
                  FROM coverage_grid_member WHERE role = 'reserve'""").query(String.class).single())
                .isEqualTo("1:7,1:30,1:31,2:33");
    }

    /**
     * The list a screen opens with: no candidates, no names, the caller's scope only. By now the grid call-out
     * is closed (filled 2 of 2) and the dispatcher's street call-out is open.
     */
    @Test
    @Order(7)
    void theListShowsTheCallOutsOfTheScopeNotClosedUnlessAsked() {
        List<Map<String, Object>> open = list("dispatcher", "/api/callouts");
        assertThat(open).extracting(c -> c.get("areaCode"), c -> c.get("placeName"), c -> c.get("status"),
                        c -> c.get("filled"), c -> c.get("needed"))
                .containsExactly(tuple("990101001000", "摩纳哥街道", "open", 0, 1));
        assertThat(open.get(0)).doesNotContainKey("candidates");
        assertThat(list("dispatcher", "/api/callouts?status=closed"))
                .extracting(c -> ((Number) c.get("id")).longValue(), c -> c.get("placeName"), c -> c.get("filled"),
                        c -> c.get("version"))
                .containsExactly(tuple(calloutId, "摩纳哥一网格", 2, 5));
        // a grid worker sees their grid's call-outs only: not the street's
        assertThat(list("grid_worker", "/api/callouts")).isEmpty();
        assertThat(list("grid_worker", "/api/callouts?status=closed")).extracting(c -> ((Number) c.get("id")).longValue())
                .containsExactly(calloutId);
        assertThat(list("grid_worker_2", "/api/callouts?status=closed")).isEmpty();
        get("planner", "/api/callouts").exchange().expectStatus().isForbidden();
        Map<String, Object> bad = get("dispatcher", "/api/callouts?status=gone").header("Accept-Language", "en").exchange()
                .expectStatus().isBadRequest()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(firstField(bad)).isEqualTo("status");
    }

    private List<Map<String, Object>> list(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
    }

    private double walk(double lat, double lon) {
        double metres = routing.require().travel(TravelMode.FOOT, OFFICE, new Place("home", lat, lon)).orElseThrow()
                .distanceMeters();
        return Math.round(metres * 10) / 10.0;
    }

    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> candidates(Map<String, Object> callout) {
        return (List<Map<String, Object>>) callout.get("candidates");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> problem) {
        return (List<Map<String, Object>>) problem.get("errors");
    }
}
