package org.caregrid.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.caregrid.routing.Bounds;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The planner's health-access endpoints and the road base layer on the Monaco fixture and road
 * network: merged walking service areas, key persons beyond the walk counted per building (as the
 * stored nearest-facility walks say), roads per box as the graph holds them; another area's user
 * sees none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class RoutingServiceAreaApiTest extends ServerTest {

    private static final String MONACO = "7.40,43.71,7.45,43.76";
    // around rue Grimaldi: a street-level view
    private static final String CLOSE_UP = "7.4170,43.7310,7.4210,43.7340";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "service_areas");
        registry.add("caregrid.home", () -> "target/test-home-service-areas");
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
        user("planner", "PLANNER", "990101001000", null, null);
        user("far_planner", "PLANNER", "990101002000", null, null);
        MonacoRoads.awaitReady(routing);
        // the start-up refresh may have run before the fixture was loaded
        refresher.refresh();
    }

    @Test
    void serviceAreasAreOneMergedPolygonPerLimitLargestFirst() {
        Map<String, Object> body = json("planner", "/api/routing/service-areas?bbox=" + MONACO + "&minutes=5,10,15");
        assertThat(((Number) body.get("facilities")).intValue()).isEqualTo(3); // the three pharmacies, not the office
        List<Map<String, Object>> features = list(body.get("features"));
        assertThat(features).extracting(f -> ((Number) ((Map<?, ?>) f.get("properties")).get("minutes")).intValue())
                .containsExactly(15, 10, 5);
        assertThat(features).extracting(f -> (Object) ((Map<?, ?>) f.get("geometry")).get("type"))
                .containsOnly("MultiPolygon");
        // nested: the 5-minute area lies inside the 15-minute one
        String raw = get("planner", "/api/routing/service-areas?bbox=" + MONACO).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Boolean nested = jdbc.sql("""
                SELECT ST_Covers(ST_Buffer(ST_GeomFromGeoJSON(d -> 'features' -> 0 -> 'geometry'), 0.0001),
                                 ST_GeomFromGeoJSON(d -> 'features' -> 2 -> 'geometry'))
                  FROM (SELECT CAST(:doc AS jsonb) AS d) x""")
                .param("doc", raw).query(Boolean.class).single();
        assertThat(nested).isTrue();
    }

    @Test
    void buildingsWithKeyPersonsBeyondTheWalkAreCountedAsStored() {
        Map<String, Object> body = json("planner", "/api/routing/outside-buildings?minutes=15&bbox=" + MONACO);
        List<Map<String, Object>> features = list(body.get("features"));
        long expected = jdbc.sql("""
                SELECT count(*) FROM nearest_facility n JOIN person p ON p.id = n.person_id
                 WHERE (n.status <> 'reached' OR n.duration_s > 900) AND p.area_code LIKE '990101001%'""")
                .query(Long.class).single();
        assertThat(expected).isPositive(); // the home at sea reaches nothing
        assertThat(features.stream().mapToLong(f -> ((Number) ((Map<?, ?>) f.get("properties")).get("outside")).longValue())
                .sum()).isEqualTo(expected);
        // counts, never names of people
        assertThat(features).allSatisfy(f -> assertThat(java.util.Set.<Object>copyOf(((Map<?, ?>) f.get("properties")).keySet()))
                .containsExactlyInAnyOrder("id", "name", "outside", "unreachable"));
        // a one-minute walk leaves out at least as many
        long atOneMinute = list(json("planner", "/api/routing/outside-buildings?minutes=1").get("features")).stream()
                .mapToLong(f -> ((Number) ((Map<?, ?>) f.get("properties")).get("outside")).longValue()).sum();
        assertThat(atOneMinute).isGreaterThanOrEqualTo(expected);
    }

    @Test
    void roadsOfABoxAreTheGraphsEdgesWithTheirClass() {
        Map<String, Object> body = json("planner", "/api/roads?bbox=" + CLOSE_UP);
        List<Map<String, Object>> features = list(body.get("features"));
        int inGraph = routing.require().roads(new Bounds(43.7310, 7.4170, 43.7340, 7.4210), 5000).size();
        assertThat(features).hasSize(inGraph).isNotEmpty();
        assertThat(body.get("truncated")).isEqualTo(false);
        assertThat(features).extracting(f -> (Object) ((Map<?, ?>) f.get("geometry")).get("type")).containsOnly("LineString");
        assertThat(features).extracting(f -> ((Map<?, ?>) f.get("properties")).get("class")).doesNotContainNull();

        Map<String, Object> cut = json("planner", "/api/roads?bbox=" + CLOSE_UP + "&limit=3");
        assertThat(list(cut.get("features"))).hasSize(3);
        assertThat(cut.get("truncated")).isEqualTo(true);
        get("planner", "/api/roads").exchange().expectStatus().isBadRequest();
    }

    @Test
    void theRoadNetworkIsAnOgcCollectionWithTheSameEdgesAsTheMapsRoads() throws InterruptedException {
        // the edges are stored once the graph is open, in the background: wait for all of them
        int inGraph = routing.require().roads(routing.require().bounds(), Integer.MAX_VALUE - 1).size();
        java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofMinutes(2));
        while (jdbc.sql("SELECT count(*) FROM road_edge").query(Long.class).single() < inGraph
                && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(json("admin", "/ogc/collections/road-edges/items?limit=1").get("numberMatched")).isEqualTo(inGraph);

        Map<String, Object> edges = json("planner", "/ogc/collections/road-edges/items?limit=5000&bbox=" + CLOSE_UP);
        Map<String, Object> roads = json("planner", "/api/roads?bbox=" + CLOSE_UP);
        assertThat(list(edges.get("features"))).extracting(f -> ((Number) f.get("id")).intValue())
                .containsExactlyInAnyOrderElementsOf(list(roads.get("features")).stream()
                        .map(f -> ((Number) f.get("id")).intValue()).toList())
                .isNotEmpty();
        assertThat(list(edges.get("features"))).extracting(f -> ((Map<?, ?>) f.get("properties")).get("road_class"))
                .doesNotContainNull();
        // another street's planner: Monaco's roads lie outside their area, as on the map
        assertThat(json("far_planner", "/ogc/collections/road-edges/items").get("numberMatched")).isEqualTo(0);
    }

    @Test
    void anotherAreasUserSeesNoneOfIt() {
        assertThat(list(json("far_planner", "/api/routing/service-areas?bbox=" + MONACO).get("features"))).isEmpty();
        assertThat(list(json("far_planner", "/api/routing/outside-buildings?bbox=" + MONACO).get("features"))).isEmpty();
        assertThat(list(json("far_planner", "/api/routing/outside-buildings").get("features"))).isEmpty();
        assertThat(list(json("far_planner", "/api/roads?bbox=" + CLOSE_UP).get("features"))).isEmpty();
        client.get().uri("/api/roads?bbox=" + CLOSE_UP).exchange().expectStatus().isUnauthorized();
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
