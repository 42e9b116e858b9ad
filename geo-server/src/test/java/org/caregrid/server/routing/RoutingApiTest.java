package org.caregrid.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.caregrid.routing.Place;
import org.caregrid.routing.Route;
import org.caregrid.routing.TravelMatrix;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The routing endpoints and the nearest-facility refresh on the real Monaco road network and the
 * Monaco fixture (fixtures/monaco.sql). Results are compared with the routing library's own answer
 * on the same graph, and with facts of the map: the nearest pharmacy of each home.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections and its road network) after the class: test databases have few connection slots
@DirtiesContext
class RoutingApiTest extends ServerTest {

    // rue des Orangers 2 (building 1) and avenue Saint-Laurent 3 (building 5)
    private static final String ORANGERS = "43.7335118,7.4203302";
    private static final String SAINT_LAURENT = "43.7433120,7.4278510";
    private static final String AT_SEA = "43.715,7.44";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "routing");
        registry.add("caregrid.home", () -> "target/test-home-routing");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    RoutingService routing;
    @Autowired
    NearestFacilityRefresher refresher;

    @BeforeAll
    void loadFixture() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("admin", "ADMIN", null, null, null);
        user("dispatcher", "DISPATCHER", "990101001000", null, null);
        user("far_planner", "PLANNER", "990101002000", null, null);
        MonacoRoads.awaitReady(routing);
    }

    @Test
    void routeMatchesTheLibraryInBothLanguages() {
        Map<String, Object> zh = json("dispatcher", "/api/routing/route?from=" + ORANGERS + "&to=" + SAINT_LAURENT);
        Route direct = routing.require().route(TravelMode.FOOT, List.of(new Place("from", 43.7335118, 7.4203302),
                new Place("to", 43.7433120, 7.4278510)), Locale.SIMPLIFIED_CHINESE).route().orElseThrow();
        assertThat(zh.get("profile")).isEqualTo("foot");
        assertThat((Double) zh.get("distanceMeters")).isEqualTo(direct.distanceMeters());
        assertThat((Double) zh.get("durationSeconds")).isEqualTo(direct.timeMillis() / 1000.0);
        assertThat((List<?>) zh.get("coordinates")).hasSize(direct.geometry().getNumPoints());
        List<Map<String, Object>> instructions = list(zh.get("instructions"));
        assertThat(instructions).hasSize(direct.instructions().size());
        assertThat(instructions.get(instructions.size() - 1).get("text")).isEqualTo("到达终点");

        Map<String, Object> en = json("dispatcher", "/api/routing/route?lang=en&from=" + ORANGERS + "&to=" + SAINT_LAURENT);
        assertThat(en.get("distanceMeters")).isEqualTo(zh.get("distanceMeters"));
        List<Map<String, Object>> enInstructions = list(en.get("instructions"));
        assertThat(enInstructions.get(enInstructions.size() - 1).get("text")).isEqualTo("arrive at destination");
    }

    @Test
    void viaPointsAreVisitedInOrder() {
        Map<String, Object> direct = json("dispatcher", "/api/routing/route?from=" + ORANGERS + "&to=" + SAINT_LAURENT);
        Map<String, Object> via = json("dispatcher", "/api/routing/route?from=" + ORANGERS + "&to=" + SAINT_LAURENT
                + "&via=43.7288716,7.4147931;43.7298367,7.4163873");
        Route expected = routing.require().route(TravelMode.FOOT, List.of(new Place("a", 43.7335118, 7.4203302),
                new Place("v", 43.7288716, 7.4147931), new Place("w", 43.7298367, 7.4163873), new Place("b", 43.7433120, 7.4278510)), Locale.ENGLISH)
                .route().orElseThrow();
        assertThat((Double) via.get("distanceMeters")).isEqualTo(expected.distanceMeters())
                .isGreaterThan((Double) direct.get("distanceMeters"));
    }

    @Test
    void anUnsnappablePointIsNamedWithItsDistance() {
        Map<String, Object> body = get("dispatcher", "/api/routing/route?from=" + ORANGERS + "&to=" + AT_SEA)
                .exchange().expectStatus().isEqualTo(422)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        List<Map<String, Object>> unsnapped = list(body.get("unsnapped"));
        assertThat(unsnapped).hasSize(1);
        assertThat(unsnapped.get(0).get("id")).isEqualTo("to");
        assertThat(unsnapped.get(0).get("reason")).isIn("too_far_from_road", "no_road_found");
        assertThat((String) body.get("message")).contains("not near a road");
    }

    @Test
    void matrixMatchesTheLibrary() {
        Map<String, Object> body = client.post().uri("/api/routing/matrix")
                .headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("profile", "car", "sources", List.of(
                        Map.of("id", "a", "lat", 43.7335118, "lon", 7.4203302),
                        Map.of("id", "b", "lat", 43.7433120, "lon", 7.4278510),
                        Map.of("id", "sea", "lat", 43.715, "lon", 7.44))))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        List<Place> places = List.of(new Place("a", 43.7335118, 7.4203302), new Place("b", 43.7433120, 7.4278510),
                new Place("sea", 43.715, 7.44));
        TravelMatrix m = routing.require().matrix(TravelMode.CAR, places, places);
        List<List<Double>> distances = (List<List<Double>>) body.get("distanceMeters");
        assertThat(distances.get(0).get(1)).isEqualTo(m.distanceMeters()[0][1]);
        assertThat(distances.get(1).get(0)).isEqualTo(m.distanceMeters()[1][0]);
        assertThat(distances.get(0).get(0)).isEqualTo(0.0);
        assertThat(distances.get(2)).containsOnlyNulls();
        assertThat(list(body.get("unsnapped"))).extracting(u -> u.get("id")).containsExactly("sea");
    }

    @Test
    void isochronesForTheFiveTenFifteenMinuteWalk() {
        Map<String, Object> body = json("dispatcher", "/api/routing/isochrone?lat=43.7335118&lon=7.4203302");
        List<Map<String, Object>> features = list(body.get("features"));
        assertThat(features).hasSize(3);
        assertThat(features).extracting(f -> (Object) ((Map<?, ?>) f.get("geometry")).get("type"))
                .containsOnly("MultiPolygon");
        assertThat(features).extracting(f -> ((Number) ((Map<?, ?>) f.get("properties")).get("seconds")).intValue())
                .containsExactly(900, 600, 300);
    }

    @Test
    void nearestPharmacyOfAHome() {
        Map<String, Object> fromOrangers = json("dispatcher", "/api/routing/nearest?lat=43.7335118&lon=7.4203302");
        assertThat(((Map<?, ?>) fromOrangers.get("facility")).get("name")).isEqualTo("Pharmacie Marsan");
        Map<String, Object> fromSaintLaurent = json("dispatcher", "/api/routing/nearest?lat=43.7433120&lon=7.4278510");
        assertThat(((Map<?, ?>) fromSaintLaurent.get("facility")).get("name")).isEqualTo("Pharmacie des Moulins");
        Map<String, Object> office = json("dispatcher",
                "/api/routing/nearest?type=community_office&lat=43.7433120&lon=7.4278510");
        assertThat(((Map<?, ?>) office.get("facility")).get("id")).isEqualTo(4);
    }

    @Test
    void refreshStoresTheNetworkWalkAndCoverageUsesIt() {
        client.post().uri("/api/routing/nearest/refresh").headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD))
                .exchange().expectStatus().isForbidden();
        Map<String, Object> outcome = client.post().uri("/api/routing/nearest/refresh")
                .headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(outcome).containsEntry("persons", 6).containsEntry("reached", 5).containsEntry("unsnappable", 1)
                .containsEntry("unreachable", 0).containsEntry("facilities", 3);

        List<Map<String, Object>> rows = jdbc.sql("""
                SELECT person_id, status, facility_id, graph_key FROM nearest_facility ORDER BY person_id""")
                .query().listOfRows();
        assertThat(rows).extracting(r -> r.get("status"))
                .containsExactly("reached", "reached", "reached", "reached", "reached", "unsnappable");
        // the nearest pharmacy by the road network, home by home
        assertThat(rows).extracting(r -> r.get("facility_id")).containsExactly(2L, 3L, 3L, 3L, 1L, null);
        assertThat(rows).extracting(r -> r.get("graph_key")).containsOnly(routing.graphKey());

        long within15 = jdbc.sql("SELECT count(*) FROM nearest_facility WHERE status = 'reached' AND duration_s <= 900")
                .query(Long.class).single();
        Map<String, Object> summary = json("admin", "/api/coverage/summary?area=990101001000");
        Map<String, Object> pharmacy = list(summary.get("metrics")).stream()
                .filter(m -> m.get("id").equals("pharmacy-access")).findFirst().orElseThrow();
        assertThat(pharmacy.get("source")).isEqualTo("network");
        Map<?, ?> area = (Map<?, ?>) pharmacy.get("area");
        assertThat(area.get("total")).isEqualTo(6);
        assertThat(((Number) area.get("ok")).longValue()).isEqualTo(within15).isEqualTo(5);
        assertThat(area.get("gaps")).isEqualTo(1);
        assertThat(area.get("estimated")).isEqualTo(0);
    }

    @Test
    void aRefreshWritesOnlyTheWalksThatChangedAndTheFiguresAreAsFreshAsTheRefresh() {
        refresher.refresh();
        // a walk an earlier network found 100 m longer, and the walk of a volunteer who is no key person (person 7)
        long stale = jdbc.sql("SELECT min(person_id) FROM nearest_facility WHERE status = 'reached'").query(Long.class).single();
        double walked = jdbc.sql("SELECT distance_m FROM nearest_facility WHERE person_id = :p").param("p", stale)
                .query(Double.class).single();
        jdbc.sql("UPDATE nearest_facility SET distance_m = distance_m + 100 WHERE person_id = :p").param("p", stale).update();
        jdbc.sql("""
                INSERT INTO nearest_facility (person_id, facility_group, status, computed_at)
                VALUES (7, 'health', 'unsnappable', now())""").update();

        NearestFacilityRefresher.Outcome again = refresher.refresh();
        assertThat(again.persons()).isEqualTo(6);
        assertThat(again.written()).isEqualTo(1);
        assertThat(again.removed()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT distance_m FROM nearest_facility WHERE person_id = :p").param("p", stale)
                .query(Double.class).single()).isEqualTo(walked);
        assertThat(jdbc.sql("SELECT count(*) FROM nearest_facility WHERE person_id = 7").query(Long.class).single()).isZero();

        NearestFacilityRefresher.Outcome unchanged = refresher.refresh();
        assertThat(unchanged.written()).isZero();
        assertThat(unchanged.removed()).isZero();
        // the five rows left alone twice are as fresh as the last refresh, which checked them
        Instant checked = jdbc.sql("SELECT refreshed_at FROM walk_refresh WHERE facility_group = 'health'")
                .query(Timestamp.class).single().toInstant();
        Instant oldestFound = jdbc.sql("SELECT min(computed_at) FROM nearest_facility").query(Timestamp.class)
                .single().toInstant();
        assertThat(oldestFound).isBefore(checked);
        Map<String, Object> pharmacy = list(json("admin", "/api/coverage/summary?area=990101001000").get("metrics"))
                .stream().filter(m -> m.get("id").equals("pharmacy-access")).findFirst().orElseThrow();
        assertThat(Instant.parse((String) pharmacy.get("computedAt"))).isEqualTo(checked);
    }

    @Test
    void pointsOutsideTheCallersAreaAreRefused() {
        get("far_planner", "/api/routing/route?from=" + ORANGERS + "&to=" + SAINT_LAURENT)
                .exchange().expectStatus().isForbidden();
        get("far_planner", "/api/routing/isochrone?lat=43.7335118&lon=7.4203302").exchange().expectStatus().isForbidden();
        client.get().uri("/api/routing/route?from=" + ORANGERS + "&to=" + SAINT_LAURENT)
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void healthShowsTheReadyGraph() {
        Map<String, Object> health = json("admin", "/actuator/health");
        assertThat(health.get("status")).isEqualTo("UP");
        Map<?, ?> component = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("routing");
        assertThat(component.get("status")).isEqualTo("UP");
        assertThat(((Map<?, ?>) component.get("details")).get("state")).isEqualTo("ready");
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
