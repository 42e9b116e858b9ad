package org.caregrid.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.caregrid.server.config.Today;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Role;
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
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Deliveries end to end on a plan built by hand (fixtures/two-grids.sql + delivery-loop.sql), so every
 * figure is known: route 1 of volunteer 3 picks up at 甲药店 and delivers to 李建国 (person 2, B1栋 502)
 * then to person 4 (A2栋 102), along a road geometry of 0.01° of latitude on the meridian 104.003 E
 * (1.11 km); route 2 of volunteer 5 picks up at 乙药店 and delivers to 张秀英 (person 1).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryLoopApiTest extends ServerTest {

    private static final String STREET = "510104020000";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "delivery_loop");
    }

    @Autowired
    Today today;

    long planId;
    long tomorrowPlanId;
    long route1;
    long route2;
    /** Route 1's stops: pickup, 李建国, person 4; route 2's: pickup, 张秀英. */
    long pickup1;
    long stopLi;
    long stopFour;
    long pickup2;
    long stopZhang;
    long tomorrowStop;
    final OffsetDateTime start = OffsetDateTime.now().truncatedTo(ChronoUnit.MINUTES).minusMinutes(90);

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        Fixtures.load(dataSource, "fixtures/delivery-loop.sql");
        user("admin", "ADMIN", null, null, null);
        user("dispatcher", "DISPATCHER", STREET, null, null);
        user("planner", "PLANNER", STREET, null, null);
        user("volunteer_3", "VOLUNTEER", STREET, null, 3L);
        user("volunteer_5", "VOLUNTEER", STREET, null, 5L);
        LocalDate day = today.date();
        long requestLi = request(2);
        long requestFour = request(4);
        long requestZhang = request(1);
        planId = plan(day);
        route1 = route(planId, 3, "LINESTRING(104.003 30.000, 104.003 30.010)");
        stop(route1, 0, "start", null, null, 3L);
        pickup1 = stop(route1, 1, "pickup", null, 1L, null);
        stopLi = stop(route1, 2, "delivery", requestLi, null, 2L);
        stopFour = stop(route1, 3, "delivery", requestFour, null, 4L);
        stop(route1, 4, "end", null, null, 3L);
        route2 = route(planId, 5, "LINESTRING(104.017 30.007, 104.002 30.002)");
        pickup2 = stop(route2, 0, "pickup", null, 3L, null);
        stopZhang = stop(route2, 1, "delivery", requestZhang, null, 1L);
        // a plan for tomorrow: published, but not today's route
        tomorrowPlanId = plan(day.plusDays(1));
        long tomorrowRoute = route(tomorrowPlanId, 3, "LINESTRING(104.003 30.000, 104.004 30.004)");
        tomorrowStop = stop(tomorrowRoute, 0, "delivery", request(4), null, 4L);
    }

    private long request(long person) {
        return jdbc.sql("INSERT INTO delivery_request (key_person_id, items, status, created_by) "
                        + "VALUES (:p, '降压药 1 盒', 'planned', 'test') RETURNING id")
                .param("p", person).query(Long.class).single();
    }

    private long plan(LocalDate day) {
        return jdbc.sql("INSERT INTO route_plan (kind, solver, created_by, service_date) VALUES ('delivery', 'test', 'test', :d) "
                + "RETURNING id").param("d", day).query(Long.class).single();
    }

    private long route(long plan, long volunteer, String wkt) {
        return jdbc.sql("""
                INSERT INTO route (plan_id, assignee_person_id, profile, geom, distance_m, duration_s)
                VALUES (:plan, :v, 'bike', ST_GeomFromText(:wkt, 4326), 1100, 900) RETURNING id""")
                .param("plan", plan).param("v", volunteer).param("wkt", wkt).query(Long.class).single();
    }

    /** A stop where the person (or facility) is; the building follows the person, as the planner stores it. */
    private long stop(long route, int seq, String kind, Long request, Long facility, Long person) {
        return jdbc.sql("""
                INSERT INTO route_stop (route_id, seq, kind, delivery_request_id, facility_id, person_id, location, building_id)
                SELECT :route, :seq, :kind, :request, :facility, :person,
                       coalesce((SELECT location FROM facility WHERE id = :facility),
                                (SELECT coalesce(u.entrance, b.entrance) FROM person p JOIN building b ON b.id = p.building_id
                                   LEFT JOIN unit u ON u.id = p.unit_id WHERE p.id = :person)),
                       CASE WHEN :kind = 'delivery' THEN (SELECT building_id FROM person WHERE id = :person) END
                RETURNING id""")
                .param("route", route).param("seq", seq).param("kind", kind).param("request", request)
                .param("facility", facility).param("person", person).query(Long.class).single();
    }

    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private String status(long request) {
        return jdbc.sql("SELECT status FROM delivery_request WHERE id = :id").param("id", request).query(String.class).single();
    }

    private long requestOf(long stop) {
        return jdbc.sql("SELECT delivery_request_id FROM route_stop WHERE id = :id").param("id", stop).query(Long.class).single();
    }

    private String outcome(String outcome, String key, OffsetDateTime at, String note) {
        return "{\"outcome\":\"" + outcome + "\",\"key\":\"" + key + "\",\"at\":\"" + at + "\""
                + (note == null ? "" : ",\"note\":\"" + note + "\"") + "}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> stops(Map<String, Object> route) {
        return (List<Map<String, Object>>) route.get("stops");
    }

    @SuppressWarnings("unchecked")
    private int visitGaps() {
        Map<String, Object> summary = json("admin", "/api/coverage/summary?area=" + STREET);
        Map<String, Object> visits = ((List<Map<String, Object>>) summary.get("metrics")).stream()
                .filter(m -> "visits".equals(m.get("id"))).findFirst().orElseThrow();
        return ((Number) ((Map<String, Object>) visits.get("area")).get("gaps")).intValue();
    }

    @Test
    @Order(1)
    void aDraftIsPublishedWithItsVersionAndItsRequestsBecomeAssigned() {
        String uri = "/api/dispatch/plans/" + planId + "/publish";
        send("planner", HttpMethod.POST, uri, "{}", "\"1\"", 403);
        assertThat(firstField(send("dispatcher", HttpMethod.POST, uri, "{}", null, 400))).isEqualTo("If-Match");
        send("dispatcher", HttpMethod.POST, uri, "{}", "\"7\"", 412);
        assertThat(status(requestOf(stopLi))).isEqualTo("planned");
        // a volunteer sees nothing of a draft
        assertThat(json("volunteer_3", "/api/my/route")).containsEntry("state", "none");

        client.post().uri(uri).headers(h -> {
                    h.setBasicAuth("dispatcher", Fixtures.PASSWORD);
                    h.setIfMatch("\"1\"");
                }).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"今日送药\"}")
                .exchange().expectStatus().isOk().expectHeader().valueEquals("ETag", "\"2\"")
                .expectBody().jsonPath("$.status").isEqualTo("published").jsonPath("$.assigned").isEqualTo(3)
                .jsonPath("$.routes").isEqualTo(2);
        assertThat(List.of(status(requestOf(stopLi)), status(requestOf(stopFour)), status(requestOf(stopZhang))))
                .containsOnly("assigned");
        assertThat(send("dispatcher", HttpMethod.POST, uri, "{}", "\"2\"", 409).get("type"))
                .isEqualTo("urn:caregrid:problem:conflict");
        get("dispatcher", "/api/dispatch/plans/" + planId).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("ETag", "\"2\"").expectBody().jsonPath("$.plan.status").isEqualTo("published");
        assertThat(jdbc.sql("SELECT reason FROM change_history WHERE entity = 'plan' AND entity_id = :id AND action = 'update'")
                .param("id", planId).query(String.class).list()).containsExactly("今日送药");
        send("dispatcher", HttpMethod.POST, "/api/dispatch/plans/" + tomorrowPlanId + "/publish", "{}", "\"1\"", 200);
    }

    @Test
    @Order(2)
    void eachVolunteerSeesExactlyTheirOwnRouteWithTheHouseholdsWhileItIsActive() throws Exception {
        Map<String, Object> mine = json("volunteer_3", "/api/my/route");
        assertThat(mine).containsEntry("state", "active").containsEntry("remaining", 2);
        assertThat(((Number) mine.get("routeId")).longValue()).isEqualTo(route1);
        assertThat(((Number) mine.get("nextStopId")).longValue()).isEqualTo(pickup1);
        List<Map<String, Object>> stops = stops(mine);
        assertThat(stops).extracting(s -> s.get("number")).containsExactly(1, 2, 3);
        assertThat(stops).extracting(s -> s.get("kind")).containsExactly("pickup", "delivery", "delivery");
        assertThat(stops.get(0)).containsEntry("facilityName", "甲药店");
        assertThat(stops.get(1)).containsEntry("personName", "李建国").containsEntry("phone", "13900001111")
                .containsEntry("items", "降压药 1 盒").containsEntry("buildingName", "B1栋");
        assertThat((String) stops.get(1).get("address")).contains("B1栋", "1单元", "502");
        assertThat((List<?>) mine.get("coordinates")).hasSize(2);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE endpoint = '/api/my/route' AND username = 'volunteer_3'")
                .query(Long.class).single()).isEqualTo(1L);

        Map<String, Object> theirs = json("volunteer_5", "/api/my/route");
        assertThat(((Number) theirs.get("routeId")).longValue()).isEqualTo(route2);
        assertThat(stops(theirs)).extracting(s -> s.get("personName")).containsExactly(null, "张秀英");
        assertThat(theirs.toString()).doesNotContain("李建国", "13900001111");
        // the other volunteer's households do not exist for them, in the API and in the database
        get("volunteer_5", "/api/persons/2").exchange().expectStatus().isNotFound();
        send("volunteer_5", HttpMethod.POST, "/api/my/route/stops/" + stopLi, outcome("delivered", "other-key-1", start, null), null, 404);
        // while the route is active the household's row is the volunteer's to read, in the database too
        CaregridUser three = new CaregridUser(98, "volunteer_3", "{noop}x", true, Set.of(Role.VOLUNTEER),
                AreaScope.area(STREET, "street"), 3L);
        assertThat(AccessPolicy.databaseSession(three).call(() -> jdbc.sql(
                "SELECT count(*) FROM person WHERE id = 2").query(Long.class).single())).isEqualTo(1L);
        // and so are the household's needs (V52: a need's policies carry the person's rule for an active route)
        long needsOfLi = jdbc.sql("SELECT count(*) FROM need WHERE key_person_id = 2").query(Long.class).single();
        assertThat(needsOfLi).isPositive();
        assertThat(AccessPolicy.databaseSession(three).call(() -> jdbc.sql(
                "SELECT count(*) FROM need WHERE key_person_id = 2").query(Long.class).single())).isEqualTo(needsOfLi);
        long requestLi = requestOf(stopLi);
        CaregridUser five = new CaregridUser(99, "volunteer_5", "{noop}x", true, Set.of(Role.VOLUNTEER),
                AreaScope.area(STREET, "street"), 5L);
        assertThat(AccessPolicy.databaseSession(five).call(() -> jdbc.sql(
                "SELECT count(*) FROM route_stop WHERE route_id = :r").param("r", route1).query(Long.class).single())).isZero();
        assertThat(AccessPolicy.databaseSession(five).call(() -> jdbc.sql(
                "SELECT count(*) FROM delivery_request WHERE id = :r").param("r", requestLi).query(Long.class).single())).isZero();
        assertThat(AccessPolicy.databaseSession(five).call(() -> jdbc.sql(
                "SELECT count(*) FROM need WHERE key_person_id = 2").query(Long.class).single())).isZero();
        get("dispatcher", "/api/my/route").exchange().expectStatus().isForbidden();
    }

    @Test
    @Order(3)
    void outcomesAreCheckedAndADeliveryCountsAsAVisitOnce() {
        String li = "/api/my/route/stops/" + stopLi;
        assertThat(firstField(send("volunteer_3", HttpMethod.POST, li, outcome("lost", "key-aaaa-1", start, null), null, 400)))
                .isEqualTo("outcome");
        assertThat(firstField(send("volunteer_3", HttpMethod.POST, li, "{\"outcome\":\"delivered\"}", null, 400))).isEqualTo("key");
        assertThat(firstField(send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + pickup1,
                outcome("delivered", "key-aaaa-1", start, null), null, 400))).isEqualTo("outcome");
        send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + tomorrowStop,
                outcome("delivered", "key-tomorrow", start, null), null, 409);
        // hours are paid and visits counted from these times: an outcome dated days before the route is refused
        assertThat(firstField(send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + pickup1,
                outcome("picked_up", "key-backdated", start.minusDays(3), null), null, 400))).isEqualTo("at");

        send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + pickup1, outcome("picked_up", "key-pickup-1", start, null), null, 201);
        int gaps = visitGaps();
        Map<String, Object> first = send("volunteer_3", HttpMethod.POST, li,
                outcome("delivered", "key-li-0001", start.plusMinutes(25), "已当面交给本人"), null, 201);
        assertThat(first).containsEntry("outcome", "delivered").containsEntry("key", "key-li-0001");
        assertThat(first.get("visitId")).isNotNull();
        assertThat(status(requestOf(stopLi))).isEqualTo("delivered");
        assertThat(visitGaps()).isEqualTo(gaps - 1);
        assertThat(jdbc.sql("SELECT method || ' ' || visitor_person_id || ' ' || findings FROM visit WHERE key_person_id = 2")
                .query(String.class).list()).containsExactly("door 3 已当面交给本人");

        // sent again (an offline queue, a lost answer): the same answer, stored once
        client.post().uri(li).headers(h -> h.setBasicAuth("volunteer_3", Fixtures.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(outcome("delivered", "key-li-0001", start.plusMinutes(25), "已当面交给本人")).exchange()
                .expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .isEqualTo(first);
        assertThat(jdbc.sql("SELECT count(*) FROM stop_outcome WHERE stop_id = :s").param("s", stopLi).query(Long.class).single())
                .isEqualTo(1L);
        assertThat(jdbc.sql("SELECT count(*) FROM visit WHERE key_person_id = 2").query(Long.class).single()).isEqualTo(1L);
        // the key belongs to that stop; the stop has its outcome
        send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + stopFour, outcome("refused", "key-li-0001", start, null), null, 409);
        send("volunteer_3", HttpMethod.POST, li, outcome("not_home", "key-li-0002", start, null), null, 409);

        Map<String, Object> mine = json("volunteer_3", "/api/my/route");
        assertThat(((Number) mine.get("nextStopId")).longValue()).isEqualTo(stopFour);
        assertThat(stops(mine)).extracting(s -> s.get("outcome")).containsExactly("picked_up", "delivered", null);
    }

    @Test
    @Order(4)
    void theLastOutcomeFinishesTheRouteWritesTheServiceRecordAndHidesTheHouseholds() throws Exception {
        send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + stopFour,
                outcome("refused", "key-four-001", start.plusMinutes(47), "家属说已买到"), null, 201);
        assertThat(jdbc.sql("SELECT status || ' ' || failure_reason FROM delivery_request WHERE id = :id")
                .param("id", requestOf(stopFour)).query(String.class).single()).isEqualTo("failed refused");
        assertThat(jdbc.sql("SELECT count(*) FROM visit WHERE key_person_id = 4").query(Long.class).single()).isZero();

        Map<String, Object> record = jdbc.sql("""
                SELECT volunteer_person_id, service_date, minutes, distance_km, households, plan_id FROM service_record
                 WHERE route_id = :r""").param("r", route1).query().singleRow();
        assertThat(record).containsEntry("volunteer_person_id", 3L).containsEntry("minutes", 47)
                .containsEntry("distance_km", 1.11).containsEntry("households", 1).containsEntry("plan_id", planId);
        assertThat(record.get("service_date").toString()).isEqualTo(today.date().toString());
        // the delivery to Li wrote a visit (by the volunteer); the route's record counts that time, no visit record
        assertThat(jdbc.sql("SELECT count(*) FROM service_record WHERE volunteer_person_id = 3 AND kind <> 'delivery'")
                .query(Long.class).single()).isZero();

        Map<String, Object> finished = json("volunteer_3", "/api/my/route");
        assertThat(finished).containsEntry("state", "finished").doesNotContainKey("nextStopId");
        Map<String, Object> li = stops(finished).get(1);
        // nulls are left out of answers: the household's name, address, phone, items and the note are gone
        assertThat(li).containsEntry("buildingName", "B1栋").containsEntry("outcome", "delivered")
                .containsEntry("lat", 30.005).containsEntry("lon", 104.015)
                .doesNotContainKeys("personName", "phone", "address", "items", "note");
        assertThat(finished.toString()).doesNotContain("李建国", "13900001111", "降压药");
        get("volunteer_3", "/api/persons/2").exchange().expectStatus().isNotFound();
        // and in the database: the household's row is no longer the volunteer's, the stop's building still is
        CaregridUser three = new CaregridUser(98, "volunteer_3", "{noop}x", true, Set.of(Role.VOLUNTEER),
                AreaScope.area(STREET, "street"), 3L);
        assertThat(AccessPolicy.databaseSession(three).call(() -> jdbc.sql(
                "SELECT count(*) FROM person WHERE id = 2").query(Long.class).single())).isZero();
        assertThat(AccessPolicy.databaseSession(three).call(() -> jdbc.sql(
                "SELECT count(*) FROM route_stop WHERE route_id = :r AND building_id IS NOT NULL").param("r", route1)
                .query(Long.class).single())).isEqualTo(2L);
        // resending the last outcome still answers it; a new one is refused
        send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + stopFour,
                outcome("refused", "key-four-001", start.plusMinutes(47), "家属说已买到"), null, 201);
        send("volunteer_3", HttpMethod.POST, "/api/my/route/stops/" + stopFour, outcome("delivered", "key-four-002", start, null), null, 409);
    }

    @Test
    @Order(5)
    void notAtHomeSendsTheRequestBackAndTheLastRouteClosesThePlan() {
        send("volunteer_5", HttpMethod.POST, "/api/my/route/stops/" + pickup2, outcome("picked_up", "five-pickup", start, null), null, 201);
        assertThat(jdbc.sql("SELECT status FROM route_plan WHERE id = :id").param("id", planId).query(String.class).single())
                .isEqualTo("published");
        send("volunteer_5", HttpMethod.POST, "/api/my/route/stops/" + stopZhang,
                outcome("not_home", "five-zhang", start.plusMinutes(12), null), null, 201);
        assertThat(status(requestOf(stopZhang))).isEqualTo("pending");
        assertThat(jdbc.sql("SELECT minutes || ' ' || households FROM service_record WHERE route_id = :r").param("r", route2)
                .query(String.class).single()).isEqualTo("12 0");
        assertThat(jdbc.sql("SELECT status FROM route_plan WHERE id = :id").param("id", planId).query(String.class).single())
                .isEqualTo("done");
    }

    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    void serviceRecordsForAPeriodWithTotals() {
        String uri = "/api/volunteers/3/service-records";
        Map<String, Object> records = json("volunteer_3", uri);
        assertThat((List<?>) records.get("records")).hasSize(1);
        assertThat((Map<String, Object>) records.get("totals")).containsEntry("records", 1).containsEntry("minutes", 47)
                .containsEntry("distanceKm", 1.11).containsEntry("households", 1);
        String yesterday = today.date().minusDays(1).toString();
        assertThat((List<?>) json("dispatcher", uri + "?from=" + yesterday + "&to=" + yesterday).get("records")).isEmpty();
        assertThat((List<?>) json("dispatcher", uri).get("records")).hasSize(1);
        get("volunteer_5", uri).exchange().expectStatus().isNotFound();
        get("planner", uri).exchange().expectStatus().isForbidden();
        assertThat(firstField(client.get().uri(uri + "?from=2026-12-31&to=2026-01-01")
                .headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD)).exchange().expectStatus().isBadRequest()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody()))
                .isEqualTo("from");
        get("admin", uri + "?to=soon").exchange().expectStatus().isBadRequest();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'read_service_records'").query(Long.class).single())
                .isEqualTo(3L);
    }
}
