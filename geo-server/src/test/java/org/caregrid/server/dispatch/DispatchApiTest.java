package org.caregrid.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.caregrid.routing.Place;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
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
 * Dispatch on the Monaco fixture: six pending requests (one household out at sea), a walking and a
 * cycling volunteer. The plan serves the five households on land, each pickup at the right pharmacy
 * before its delivery, and leaves the one at sea out with the reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections and its road network) after the class: test databases have few connection slots
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatchApiTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "dispatch");
        registry.add("caregrid.home", () -> "target/test-home-dispatch");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    RoutingService routing;

    @BeforeAll
    void loadFixture() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("dispatcher", "DISPATCHER", "990101001000", null, null);
        user("far_dispatcher", "DISPATCHER", "990101002000", null, null);
        user("planner", "PLANNER", "990101001000", null, null);
        user("worker_g1", "GRID_WORKER", null, 1L, 9L);
        user("volunteer_7", "VOLUNTEER", "990101001000", null, 7L);
        MonacoRoads.awaitReady(routing);
    }

    @Test
    @Order(1)
    void pendingRequestsOnTheMapWithFilters() {
        assertThat(ids(json("dispatcher", "/api/dispatch/requests"))).containsExactly(1L, 5L, 2L, 3L, 4L, 6L);
        assertThat(lastListed("/api/dispatch/requests")).isEqualTo("[1, 2, 3, 4, 5, 6]");
        // a filtered list logs exactly the persons it returned (requests 1 and 5 are persons 1 and 5)
        assertThat(ids(json("dispatcher", "/api/dispatch/requests?urgency=urgent"))).containsExactly(1L, 5L);
        assertThat(lastListed("/api/dispatch/requests")).isEqualTo("[1, 5]");
        assertThat(ids(json("dispatcher", "/api/dispatch/requests?pharmacy=2"))).containsExactly(1L, 2L);
        assertThat(lastListed("/api/dispatch/requests")).isEqualTo("[1, 2]");
        long rows = jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'far_dispatcher' AND outcome = 'allowed'")
                .query(Long.class).single();
        assertThat(ids(json("far_dispatcher", "/api/dispatch/requests"))).isEmpty();
        // nobody shown, nobody logged
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'far_dispatcher' AND outcome = 'allowed'")
                .query(Long.class).single()).isEqualTo(rows);
        get("planner", "/api/dispatch/requests").exchange().expectStatus().isForbidden();
        // the volunteers' names and homes are personal data too
        assertThat(ids(json("dispatcher", "/api/dispatch/volunteers"))).containsExactly(7L, 8L);
        assertThat(lastListed("/api/dispatch/volunteers")).isEqualTo("[7, 8]");
    }

    /** The persons of the dispatcher's latest list audit row for {@code endpoint}. */
    private String lastListed(String endpoint) {
        return jdbc.sql("""
                        SELECT detail->>'person_ids' FROM audit_log
                         WHERE username = 'dispatcher' AND action = 'list_persons' AND endpoint = :e AND purpose = 'dispatch'
                         ORDER BY id DESC LIMIT 1""").param("e", endpoint).query(String.class).single();
    }

    @Test
    @Order(2)
    void planServesTheLandAndExplainsTheSea() {
        client.post().uri("/api/dispatch/plans").headers(h -> h.setBasicAuth("planner", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("allPending", true, "volunteerIds", List.of(7, 8)))
                .exchange().expectStatus().isForbidden();
        Map<String, Object> outcome = client.post().uri("/api/dispatch/plans")
                .headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("allPending", true, "volunteerIds", List.of(7, 8), "timeLimitSeconds", 2,
                        "date", "2026-11-27"))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(outcome).containsEntry("planned", 5).containsEntry("unassigned", 1);
        long planId = ((Number) outcome.get("planId")).longValue();

        Map<String, Object> plan = json("dispatcher", "/api/dispatch/plans/" + planId);
        Map<?, ?> totals = (Map<?, ?>) plan.get("plan");
        assertThat(totals.get("planned")).isEqualTo(5);
        assertThat(totals.get("routes")).isEqualTo(outcome.get("routes"));
        List<Map<String, Object>> features = list(plan.get("features"));
        List<Map<?, ?>> routes = properties(features, "route");
        List<Map<?, ?>> stops = properties(features, "stop");
        assertThat(routes).hasSize((Integer) outcome.get("routes"));
        double distance = routes.stream().mapToDouble(r -> ((Number) r.get("distanceMeters")).doubleValue()).sum();
        assertThat(((Number) totals.get("totalDistanceMeters")).doubleValue()).isCloseTo(distance,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(features.stream().filter(f -> "route".equals(((Map<?, ?>) f.get("properties")).get("type")))
                .map(f -> (Object) ((Map<?, ?>) f.get("geometry")).get("type")).toList()).containsOnly("LineString");

        // every household on land once, numbered 1..n along each route, after a pickup at its pharmacy
        List<Object> delivered = new ArrayList<>();
        for (Map<?, ?> route : routes) {
            List<Map<?, ?>> own = stops.stream().filter(s -> s.get("routeId").equals(route.get("routeId"))).toList();
            assertThat(own.get(0).get("kind")).isEqualTo("start");
            assertThat(own.get(own.size() - 1).get("kind")).isEqualTo("end");
            List<Map<?, ?>> deliveries = own.stream().filter(s -> "delivery".equals(s.get("kind"))).toList();
            assertThat(deliveries).extracting(s -> ((Number) s.get("number")).intValue())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, deliveries.size()).boxed().toList());
            assertThat(route.get("deliveries")).isEqualTo(deliveries.size());
            for (Map<?, ?> d : deliveries) {
                delivered.add(d.get("requestId"));
                int at = own.indexOf(d);
                assertThat(own.subList(0, at)).anyMatch(s -> "pickup".equals(s.get("kind")));
            }
        }
        assertThat(delivered).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        // the tied pharmacies: request 1 and 2 from Pharmacie Marsan, 5 from Pharmacie des Moulins
        assertThat(jdbc.sql("""
                SELECT count(*) FROM route_stop s JOIN route ro ON ro.id = s.route_id
                 WHERE ro.plan_id = :p AND s.kind = 'pickup' AND s.facility_id = 2""").param("p", planId)
                .query(Long.class).single()).isGreaterThanOrEqualTo(1L);

        List<Map<String, Object>> unassigned = list(plan.get("unassigned"));
        assertThat(unassigned).hasSize(1);
        assertThat(unassigned.get(0).get("requestId")).isEqualTo(6);
        assertThat((String) unassigned.get(0).get("reason")).startsWith("unreachable").contains("not near a road");

        assertThat(jdbc.sql("SELECT status FROM delivery_request ORDER BY id").query(String.class).list())
                .containsExactly("planned", "planned", "planned", "planned", "planned", "unservable");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE endpoint = :e").param("e", "/api/dispatch/plans/" + planId)
                .query(Long.class).single()).isEqualTo(1L);

        // one printable sheet per volunteer with a route: its deliveries in order, escaped, with an inline map
        StringBuilder sheets = new StringBuilder();
        for (Map<?, ?> route : routes) {
            String html = get("dispatcher", "/api/dispatch/plans/" + planId + "/sheet/" + route.get("volunteerPersonId"))
                    .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(html).contains("<html lang=\"zh-CN\">", "送药路线单", "<svg", "<polyline")
                    .doesNotContain("http://", "https://", "<script");
            assertThat(html.split("<td>送药").length - 1).isEqualTo(route.get("deliveries"));
            sheets.append(html);
        }
        assertThat(sheets.toString()).contains("止咳糖浆 &lt;100ml&gt;").doesNotContain("<100ml>");
        get("dispatcher", "/api/dispatch/plans/" + planId + "/sheet/1").exchange().expectStatus().isNotFound();

        get("far_dispatcher", "/api/dispatch/plans/" + planId).exchange().expectStatus().isNotFound();
        get("far_dispatcher", "/api/dispatch/plans/" + planId + "/sheet/7").exchange().expectStatus().isNotFound();
        get("dispatcher", "/api/dispatch/plans/99999").exchange().expectStatus().isNotFound();
        // nothing pending any more
        client.post().uri("/api/dispatch/plans").headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("allPending", true, "volunteerIds", List.of(7)))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    @Order(3)
    void gridWorkersVisitTourFromTheOffice() {
        client.post().uri("/api/visits/tour").headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isForbidden();
        // registered on 2026-01-01, never visited: all four key persons of grid 1 are overdue on 2026-11-27
        Map<String, Object> tour = client.post().uri("/api/visits/tour")
                .headers(h -> h.setBasicAuth("worker_g1", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("date", "2026-11-27", "timeLimitSeconds", 1))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) tour.get("office")).get("name")).isEqualTo("摩纳哥城社区居委会");
        List<Map<String, Object>> stops = list(tour.get("stops"));
        assertThat(stops).extracting(s -> ((Number) s.get("personId")).longValue()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(stops).extracting(s -> s.get("order")).containsExactly(1, 2, 3, 4);
        assertThat(stops).extracting(s -> (String) s.get("arrival")).isSorted();
        assertThat(list(tour.get("unvisited"))).isEmpty();
        // the drawn walk is the road route office → stops in this order → office
        List<Place> through = new ArrayList<>(List.of(new Place("o", 43.7307910, 7.4237280)));
        stops.forEach(s -> through.add(new Place("s", ((Number) s.get("lat")).doubleValue(), ((Number) s.get("lon")).doubleValue())));
        through.add(new Place("o", 43.7307910, 7.4237280));
        double expected = routing.require().route(TravelMode.FOOT, through, Locale.SIMPLIFIED_CHINESE).route().orElseThrow()
                .distanceMeters();
        assertThat(((Number) tour.get("distanceMeters")).doubleValue()).isEqualTo(expected);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE endpoint = '/api/visits/tour'").query(Long.class).single())
                .isEqualTo(1L);
    }

    @Test
    @Order(4)
    void aRequestMovedByHandStaysWithItsVolunteerWhenReplanned() {
        long old = jdbc.sql("SELECT max(id) FROM route_plan WHERE kind = 'delivery'").query(Long.class).single();
        // request 5 (Avenue Saint-Laurent) went to the cyclist living there; the dispatcher gives it to volunteer 7
        Map<String, Object> outcome = client.post().uri("/api/dispatch/plans")
                .headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestIds", List.of(1, 2, 3, 4, 5, 6), "volunteerIds", List.of(7, 8),
                        "timeLimitSeconds", 2, "date", "2026-11-27", "replacesPlanId", old, "assignments", Map.of("5", 7)))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(outcome).containsEntry("planned", 5).containsEntry("unassigned", 1);
        long planId = ((Number) outcome.get("planId")).longValue();
        assertThat(jdbc.sql("""
                SELECT ro.assignee_person_id FROM route_stop s JOIN route ro ON ro.id = s.route_id
                 WHERE ro.plan_id = :p AND s.delivery_request_id = 5 AND s.kind = 'delivery'""").param("p", planId).query(Long.class).single())
                .isEqualTo(7L);
        assertThat(jdbc.sql("SELECT status FROM route_plan WHERE id = :p").param("p", old).query(String.class).single())
                .isEqualTo("cancelled");
        assertThat(jdbc.sql("SELECT status FROM delivery_request ORDER BY id").query(String.class).list())
                .containsExactly("planned", "planned", "planned", "planned", "planned", "unservable");
        // a cancelled plan cannot be replaced again; a request cannot be moved to a volunteer outside the plan
        client.post().uri("/api/dispatch/plans").headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestIds", List.of(5), "volunteerIds", List.of(7), "replacesPlanId", old))
                .exchange().expectStatus().isEqualTo(409);
        client.post().uri("/api/dispatch/plans").headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestIds", List.of(5), "volunteerIds", List.of(7), "replacesPlanId", planId,
                        "assignments", Map.of("5", 8)))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void aPublishedPlanIsReplannedOnlyForTheRequestsNotYetStarted() {
        long draft = jdbc.sql("SELECT max(id) FROM route_plan WHERE kind = 'delivery'").query(Long.class).single();
        // today's plan, request 5 pinned to volunteer 7, published
        Map<String, Object> made = send("dispatcher", HttpMethod.POST, "/api/dispatch/plans",
                "{\"requestIds\":[1,2,3,4,5],\"volunteerIds\":[7,8],\"timeLimitSeconds\":2,\"replacesPlanId\":" + draft
                        + ",\"assignments\":{\"5\":7}}", null, 200);
        long published = ((Number) made.get("planId")).longValue();
        assertThat(made).containsEntry("planned", 5).containsEntry("version", 1);
        send("dispatcher", HttpMethod.POST, "/api/dispatch/plans/" + published + "/publish", "{}", "\"1\"", 200);
        assertThat(jdbc.sql("SELECT status FROM delivery_request ORDER BY id").query(String.class).list())
                .containsExactly("assigned", "assigned", "assigned", "assigned", "assigned", "unservable");

        // volunteer 7 delivers request 5
        Map<String, Object> route = json("volunteer_7", "/api/my/route");
        assertThat(route).containsEntry("state", "active");
        Map<String, Object> five = ((List<Map<String, Object>>) route.get("stops")).stream()
                .filter(s -> "delivery".equals(s.get("kind")) && Integer.valueOf(5).equals(s.get("requestId"))).findFirst().orElseThrow();
        send("volunteer_7", HttpMethod.POST, "/api/my/route/stops/" + five.get("stopId"),
                "{\"outcome\":\"delivered\",\"key\":\"replan-test-5\"}", null, 201);

        // re-planned: the four not started move to the new plan; the delivered one stays where it was done
        Map<String, Object> again = send("dispatcher", HttpMethod.POST, "/api/dispatch/plans",
                "{\"allPending\":true,\"volunteerIds\":[7,8],\"timeLimitSeconds\":2,\"replacesPlanId\":" + published + "}",
                null, 200);
        assertThat(again).containsEntry("planned", 4).containsEntry("unassigned", 0);
        assertThat(jdbc.sql("SELECT status FROM delivery_request ORDER BY id").query(String.class).list())
                .containsExactly("planned", "planned", "planned", "planned", "delivered", "unservable");
        assertThat(jdbc.sql("""
                SELECT s.delivery_request_id FROM route_stop s JOIN route ro ON ro.id = s.route_id
                 WHERE ro.plan_id = :p AND s.withdrawn_at IS NULL AND s.kind IN ('pickup', 'delivery')""")
                .param("p", published).query(Long.class).list()).containsOnly(5L);
        // every route of the old plan is over: volunteer 7's with a service record for its one household
        assertThat(jdbc.sql("SELECT status FROM route_plan WHERE id = :p").param("p", published).query(String.class).single())
                .isEqualTo("done");
        assertThat(jdbc.sql("SELECT volunteer_person_id || ' ' || households FROM service_record WHERE plan_id = :p")
                .param("p", published).query(String.class).list()).containsExactly("7 1");
        assertThat(json("volunteer_7", "/api/my/route")).containsEntry("state", "finished");
        send("dispatcher", HttpMethod.POST, "/api/dispatch/plans",
                "{\"allPending\":true,\"volunteerIds\":[7],\"replacesPlanId\":" + published + "}", null, 409);
    }

    private static List<Map<?, ?>> properties(List<Map<String, Object>> features, String type) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Map<String, Object> f : features) {
            Map<?, ?> p = (Map<?, ?>) f.get("properties");
            if (type.equals(p.get("type"))) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Long> ids(Map<String, Object> collection) {
        return list(collection.get("features")).stream()
                .map(f -> ((Number) ((Map<?, ?>) f.get("properties")).get(
                        ((Map<?, ?>) f.get("properties")).containsKey("personId") && !((Map<?, ?>) f.get("properties")).containsKey("items")
                                ? "personId" : "id")).longValue())
                .toList();
    }

    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
