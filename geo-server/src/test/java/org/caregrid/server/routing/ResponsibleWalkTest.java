package org.caregrid.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.caregrid.routing.Place;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The responsible-distance metric on the Monaco road network: after the walks are computed, the
 * figures are walking distances (not straight lines) equal to the routing library's, and a home
 * out at sea is a gap. Volunteer 7 lives in building 1 and answers for person 1 (same building)
 * and person 6 (at sea); volunteer 8 lives on avenue Saint-Laurent and answers for person 2 on the
 * quay, some 1.7 km away as the crow flies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class ResponsibleWalkTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "responsible_walk");
        registry.add("caregrid.home", () -> "target/test-home-responsible-walk");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    RoutingService routing;

    @Autowired
    ResponsibleWalkRefresher refresher;

    @BeforeAll
    void fixture() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        jdbc.sql("""
                INSERT INTO role_assignment (person_id, role, scope_type, scope_person_id, valid_from) VALUES
                  (7, 'responsible', 'person', 1, DATE '2025-01-01'),
                  (7, 'responsible', 'person', 6, DATE '2025-01-01'),
                  (8, 'responsible', 'person', 2, DATE '2025-01-01')
                """).update();
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", "990101001000", null, null);
        MonacoRoads.awaitReady(routing);
        // the refresh that follows the network's readiness: let it finish, then start from no walks
        for (int i = 0; i < 600 && refresher.last().isEmpty(); i++) {
            Thread.sleep(100);
        }
        jdbc.sql("DELETE FROM responsible_walk").update();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMetricUsesWalkingDistancesOnceTheyAreComputed() {
        Map<String, Object> before = metric("responsible-distance");
        assertThat(before.get("source")).isEqualTo("straight-line estimate");

        client.post().uri("/api/routing/responsible/refresh").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pairs").isEqualTo(3).jsonPath("$.reached").isEqualTo(2)
                .jsonPath("$.unreachable").isEqualTo(1);
        client.post().uri("/api/routing/responsible/refresh").headers(h -> h.setBasicAuth("planner", Fixtures.PASSWORD))
                .exchange().expectStatus().isForbidden();

        Map<String, Object> after = metric("responsible-distance");
        assertThat(after.get("source")).isEqualTo("network");
        Map<String, Object> street = (Map<String, Object>) after.get("area");
        assertThat(street.get("total")).isEqualTo(3);
        assertThat(street.get("ok")).isEqualTo(1);

        double sameBuilding = walk(43.7335118, 7.4203302, 43.7335118, 7.4203302);
        double acrossTown = walk(43.7285190, 7.4203970, 43.7433120, 7.4278510);
        assertThat(acrossTown).isGreaterThan(1000);
        // the key persons one by one: for a role that reads names (planners get the counts per building)
        List<Map<String, Object>> gaps = (List<Map<String, Object>>) get("admin",
                "/api/coverage/responsible-distance?area=990101001000&status=all").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody().get("items");
        assertThat(gaps).extracting(i -> i.get("id"), i -> i.get("ok"), i -> i.get("estimate"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("2", false, false),
                        org.assertj.core.groups.Tuple.tuple("6", false, false),
                        org.assertj.core.groups.Tuple.tuple("1", true, false));
        Map<String, Object> quay = gaps.stream().filter(i -> i.get("id").equals("2")).findFirst().orElseThrow();
        assertThat((Double) quay.get("value")).isCloseTo(acrossTown, org.assertj.core.data.Offset.offset(0.01));
        Map<String, Object> home = gaps.stream().filter(i -> i.get("id").equals("1")).findFirst().orElseThrow();
        assertThat((Double) home.get("value")).isCloseTo(sameBuilding, org.assertj.core.data.Offset.offset(0.01));
        assertThat(gaps.stream().filter(i -> i.get("id").equals("6")).findFirst().orElseThrow().get("value")).isNull();
    }

    @Test
    void suggestionsForAKeyPersonWithoutAResponsiblePersonAreRankedByWalking() {
        // person 3 (rue de la Lujerneta 2) has nobody: volunteers 7 and 8 by their walk from her door
        List<Map<String, Object>> candidates = get("admin", "/api/coverage/responsibility/suggestions?item=3")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        double toSeven = walk(43.7298367, 7.4163873, 43.7335118, 7.4203302);
        double toEight = walk(43.7298367, 7.4163873, 43.7433120, 7.4278510);
        assertThat(candidates).extracting(c -> c.get("personId"), c -> c.get("estimate"))
                .startsWith(org.assertj.core.groups.Tuple.tuple(7, false), org.assertj.core.groups.Tuple.tuple(8, false));
        assertThat((Double) candidates.get(0).get("distanceM")).isCloseTo(toSeven, org.assertj.core.data.Offset.offset(0.1));
        assertThat((Double) candidates.get(1).get("distanceM")).isCloseTo(toEight, org.assertj.core.data.Offset.offset(0.1));
        assertThat(candidates.get(0)).doesNotContainKeys("priority", "from", "home");
    }

    private double walk(double fromLat, double fromLon, double toLat, double toLon) {
        return routing.require().travel(TravelMode.FOOT, new Place("from", fromLat, fromLon), new Place("to", toLat, toLon))
                .orElseThrow().distanceMeters();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metric(String id) {
        Map<String, Object> summary = get("planner", "/api/coverage/summary?area=990101001000").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        return ((List<Map<String, Object>>) summary.get("metrics")).stream().filter(m -> m.get("id").equals(id))
                .findFirst().orElseThrow();
    }
}
