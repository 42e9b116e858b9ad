package org.caregrid.server.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every metric at every level on the hand-built fixture (fixtures/coverage.sql), as of 2026-06-15.
 * The expected figures are (total items, items meeting the condition):
 *
 * <pre>
 * metric                   street  甲社区  乙社区  G1    G2    G3    G4
 * building-heads           12/7    8/5    4/2    4/2   4/3   4/2   0/0   B3's head ended yesterday, B8's starts next month, B11's ends today (counts)
 * unit-heads               15/9    10/7   5/2    5/3   5/4   5/2   0/0   B4 has no units
 * responsibility           8/5     5/3    3/2    3/2   2/1   3/2   0/0   P3's responsibility ended yesterday
 * responsible-distance     5/4     3/3    2/1    2/2   1/1   2/1   0/0   P6's volunteer lives 7.6 km away
 * visits                   8/4     5/2    3/2    3/1   2/1   3/2   0/0   P1 due exactly today; P6's visit is on 06-08 in Chengdu time
 * pharmacy-access          8/5     5/4    3/1    3/2   2/2   3/1   0/0   P4 at exactly 15 min; P8 unsnappable; P3, P6 estimated
 * volunteers (0.5/key)     4/3     2/1    2/2    1/0   1/1   1/1   1/1   G4 is empty: nothing needed
 * delivery-squad           4/3     2/1    2/2    1/1   1/0   1/1   1/1
 * reserve (3 per worker)   4/1     2/0    2/1    1/0   1/0   1/0   1/1
 * community-organisations  2/1     1/1    1/0                            甲 has 5 active (a 6th is inactive), 乙 2
 * compound-organisations   3/2     2/1    1/1    1/1   1/0   1/1   0/0
 * social-work-stations     1/1     0/0    0/0                            a street-level item: no community figure
 * volunteer-stations       2/1     1/1    1/0
 * </pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"caregrid.mode=test", "caregrid.coverage.volunteers-per-key-person=0.5"})
class CoverageMetricsTest extends ServerTest {

    private static final String AS_OF = "2026-06-15";
    private static final String STREET = "510104020000";
    private static final String COMMUNITY_A = "510104020001";
    private static final String COMMUNITY_B = "510104020002";
    /** fixtures/coverage-long-lists.sql: 120 buildings without a head, 120 key persons without a responsible person */
    private static final String LONG_STREET = "510302001000";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "coverage");
    }

    @Autowired
    CoverageCounts storedCounts;

    @Autowired
    CoverageExports exports;


    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/coverage.sql");
        Fixtures.load(dataSource, "fixtures/coverage-long-lists.sql");
        user("admin", "ADMIN", null, null, null);
        user("planner_long", "PLANNER", LONG_STREET, null, null);
        user("planner", "PLANNER", STREET, null, null);
        user("planner_b", "PLANNER", COMMUNITY_B, null, null);
        user("worker_g1", "GRID_WORKER", null, 1L, 19L);
        user("worker_g3", "GRID_WORKER", null, 3L, 18L);
    }

    @Test
    void streetFiguresAndTheirCommunities() {
        Map<String, Map<String, String>> street = figures("planner", "area=" + STREET);
        assertThat(street.get("building-heads")).containsExactly(entry(STREET, "12/7"), entry(COMMUNITY_A, "8/5"), entry(COMMUNITY_B, "4/2"));
        assertThat(street.get("unit-heads")).containsExactly(entry(STREET, "15/9"), entry(COMMUNITY_A, "10/7"), entry(COMMUNITY_B, "5/2"));
        assertThat(street.get("responsibility")).containsExactly(entry(STREET, "8/5"), entry(COMMUNITY_A, "5/3"), entry(COMMUNITY_B, "3/2"));
        assertThat(street.get("responsible-distance")).containsExactly(entry(STREET, "5/4"), entry(COMMUNITY_A, "3/3"), entry(COMMUNITY_B, "2/1"));
        assertThat(street.get("visits")).containsExactly(entry(STREET, "8/4"), entry(COMMUNITY_A, "5/2"), entry(COMMUNITY_B, "3/2"));
        assertThat(street.get("pharmacy-access")).containsExactly(entry(STREET, "8/5"), entry(COMMUNITY_A, "5/4"), entry(COMMUNITY_B, "3/1"));
        assertThat(street.get("volunteers")).containsExactly(entry(STREET, "4/3"), entry(COMMUNITY_A, "2/1"), entry(COMMUNITY_B, "2/2"));
        assertThat(street.get("delivery-squad")).containsExactly(entry(STREET, "4/3"), entry(COMMUNITY_A, "2/1"), entry(COMMUNITY_B, "2/2"));
        assertThat(street.get("reserve")).containsExactly(entry(STREET, "4/1"), entry(COMMUNITY_A, "2/0"), entry(COMMUNITY_B, "2/1"));
        assertThat(street.get("community-organisations")).containsExactly(entry(STREET, "2/1"), entry(COMMUNITY_A, "1/1"), entry(COMMUNITY_B, "1/0"));
        assertThat(street.get("compound-organisations")).containsExactly(entry(STREET, "3/2"), entry(COMMUNITY_A, "2/1"), entry(COMMUNITY_B, "1/1"));
        assertThat(street.get("social-work-stations")).containsExactly(entry(STREET, "1/1"), entry(COMMUNITY_A, "0/0"), entry(COMMUNITY_B, "0/0"));
        assertThat(street.get("volunteer-stations")).containsExactly(entry(STREET, "2/1"), entry(COMMUNITY_A, "1/1"), entry(COMMUNITY_B, "1/0"));
    }

    @Test
    void communityFiguresAndTheirGridsIncludingTheEmptyOne() {
        Map<String, Map<String, String>> a = figures("planner", "area=" + COMMUNITY_A);
        assertThat(a.get("building-heads")).containsExactly(entry(COMMUNITY_A, "8/5"), entry("G1", "4/2"), entry("G2", "4/3"));
        assertThat(a.get("unit-heads")).containsExactly(entry(COMMUNITY_A, "10/7"), entry("G1", "5/3"), entry("G2", "5/4"));
        assertThat(a.get("responsibility")).containsExactly(entry(COMMUNITY_A, "5/3"), entry("G1", "3/2"), entry("G2", "2/1"));
        assertThat(a.get("visits")).containsExactly(entry(COMMUNITY_A, "5/2"), entry("G1", "3/1"), entry("G2", "2/1"));
        assertThat(a.get("pharmacy-access")).containsExactly(entry(COMMUNITY_A, "5/4"), entry("G1", "3/2"), entry("G2", "2/2"));
        assertThat(a.get("delivery-squad")).containsExactly(entry(COMMUNITY_A, "2/1"), entry("G1", "1/1"), entry("G2", "1/0"));
        assertThat(a.get("compound-organisations")).containsExactly(entry(COMMUNITY_A, "2/1"), entry("G1", "1/1"), entry("G2", "1/0"));

        Map<String, Map<String, String>> b = figures("planner", "area=" + COMMUNITY_B);
        assertThat(b.get("building-heads")).containsExactly(entry(COMMUNITY_B, "4/2"), entry("G3", "4/2"), entry("G4", "0/0"));
        assertThat(b.get("responsible-distance")).containsExactly(entry(COMMUNITY_B, "2/1"), entry("G3", "2/1"), entry("G4", "0/0"));
        assertThat(b.get("visits")).containsExactly(entry(COMMUNITY_B, "3/2"), entry("G3", "3/2"), entry("G4", "0/0"));
        assertThat(b.get("pharmacy-access")).containsExactly(entry(COMMUNITY_B, "3/1"), entry("G3", "3/1"), entry("G4", "0/0"));
        assertThat(b.get("volunteers")).containsExactly(entry(COMMUNITY_B, "2/2"), entry("G3", "1/1"), entry("G4", "1/1"));
        assertThat(b.get("reserve")).containsExactly(entry(COMMUNITY_B, "2/1"), entry("G3", "1/0"), entry("G4", "1/1"));
    }

    @Test
    void theFiguresRollUpToTheDistrictAndTheCity() {
        Map<String, Map<String, String>> city = figures("admin", "area=510100000000");
        assertThat(city.get("building-heads")).containsExactly(entry("510100000000", "12/7"), entry("510104000000", "12/7"));
        assertThat(city.get("visits")).containsExactly(entry("510100000000", "8/4"), entry("510104000000", "8/4"));
        assertThat(city.get("social-work-stations")).containsExactly(entry("510100000000", "1/1"), entry("510104000000", "1/1"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFigureCarriesItsTargetAndHowItWasMeasured() {
        Map<String, Object> summary = summary("planner", "area=" + STREET);
        Map<String, Object> pharmacy = metric(summary, "pharmacy-access");
        assertThat(pharmacy.get("target")).isEqualTo(1.0);
        assertThat(pharmacy.get("source")).isEqualTo("mixed");
        assertThat(pharmacy.get("computedAt")).isEqualTo("2026-06-13T19:00:00Z");
        Map<String, Object> area = (Map<String, Object>) pharmacy.get("area");
        assertThat(area.get("estimated")).isEqualTo(2);
        assertThat(area.get("rate")).isEqualTo(0.625);
        assertThat(area.get("gaps")).isEqualTo(3);
        assertThat(area.get("meetsTarget")).isEqualTo(false);
        Map<String, Object> emptyGrid = ((List<Map<String, Object>>) metric(summary("planner", "area=" + COMMUNITY_B), "visits")
                .get("children")).get(1);
        assertThat(emptyGrid.get("rate")).isNull();
        assertThat(emptyGrid.get("meetsTarget")).isEqualTo(true);
        // the words carry the configured numbers: 0.5 set above, 15 minutes by default
        assertThat(metric(summary, "volunteers").get("itemTarget")).isEqualTo("每网格志愿者不少于重点人员数×配比(0.5)");
        assertThat(pharmacy.get("name")).isEqualTo("15分钟就医购药可达率");
    }

    @Test
    void aGridWorkerSeesTheirGridOnly() {
        Map<String, Map<String, String>> own = figures("worker_g1", "");
        assertThat(own.get("building-heads")).containsExactly(entry("G1", "4/2"));
        assertThat(own.get("visits")).containsExactly(entry("G1", "3/1"));
        // outside the caller's scope an area does not exist for them
        get("worker_g1", "/api/coverage/summary?asOf=" + AS_OF + "&area=" + COMMUNITY_A).exchange().expectStatus().isNotFound();
        get("worker_g1", "/api/coverage/summary?asOf=" + AS_OF + "&grid=2").exchange().expectStatus().isNotFound();
        get("planner_b", "/api/coverage/summary?asOf=" + AS_OF + "&area=" + COMMUNITY_A).exchange().expectStatus().isNotFound();
    }

    @Test
    void theOverdueListGivesDaysOverdueMostOverdueFirst() {
        Map<String, Object> page = list("admin", "visits", "area=" + STREET);
        assertThat(page.get("total")).isEqualTo(4);
        assertThat(items(page)).extracting(i -> i.get("id"), i -> i.get("value"), i -> i.get("name"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("3", 158.0, "甲三"),
                        org.assertj.core.groups.Tuple.tuple("7", 46.0, "丙二"),
                        org.assertj.core.groups.Tuple.tuple("2", 11.0, "甲二"),
                        org.assertj.core.groups.Tuple.tuple("5", 1.0, "乙二"));
        Map<String, Object> g1 = list("worker_g1", "visits", "");
        assertThat(items(g1)).extracting(i -> i.get("id")).containsExactly("3", "2");
        Map<String, Object> building = list("planner", "building-heads", "area=" + STREET);
        assertThat(items(building)).extracting(i -> i.get("name")).containsExactlyInAnyOrder("B3", "B4", "B8", "B10", "B12");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBuildingsBehindAFigureComeWorstFirstWithCountsOnly() {
        Map<String, Object> units = get("planner", "/api/coverage/unit-heads/buildings?asOf=" + AS_OF + "&area=" + STREET)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(units.get("total")).isEqualTo(6);
        // B1 and B9 have two units, one without a head
        assertThat((List<Map<String, Object>>) units.get("buildings"))
                .extracting(b -> b.get("id"), b -> b.get("items"), b -> b.get("gaps"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 2, 1), org.assertj.core.groups.Tuple.tuple(9, 2, 1),
                        org.assertj.core.groups.Tuple.tuple(3, 1, 1), org.assertj.core.groups.Tuple.tuple(6, 1, 1),
                        org.assertj.core.groups.Tuple.tuple(10, 1, 1), org.assertj.core.groups.Tuple.tuple(12, 1, 1));
        Map<String, Object> overdue = get("planner", "/api/coverage/visits/buildings?asOf=" + AS_OF + "&grid=1")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) overdue.get("buildings")).extracting(b -> b.get("name"))
                .containsExactly("B2", "B3");
        get("planner", "/api/coverage/volunteers/buildings?area=" + STREET).exchange().expectStatus().isBadRequest();
    }

    @Test
    @SuppressWarnings("unchecked")
    void plannersGetCountsPerBuildingNeverRowsPerPersonAndNameListsAreAudited() {
        // a row per person (category, risk, exact point) re-identifies people: planners are refused in words,
        // for every metric that lists persons and every status, export formats included
        for (String metric : List.of("visits", "responsibility", "responsible-distance", "pharmacy-access")) {
            for (String query : List.of("area=" + STREET + "&status=all", "grid=1&status=gap", "area=" + STREET + "&format=csv")) {
                Map<String, Object> refused = client.get().uri("/api/coverage/" + metric + "?asOf=" + AS_OF + "&" + query)
                        .headers(h -> {
                            h.setBasicAuth("planner", Fixtures.PASSWORD);
                            h.set("Accept-Language", "en");
                        }).exchange().expectStatus().isForbidden()
                        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
                assertThat(refused).containsEntry("type", "urn:caregrid:problem:forbidden").containsEntry("detail",
                        "Your role sees aggregates only: for \"" + metric + "\" ask for the counts per building (/api/coverage/"
                                + metric + "/buildings) instead of a row per person");
            }
        }
        // each refusal is audited as denied, with its purpose; nothing was shown, so no list row
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM audit_log WHERE username = 'planner' AND outcome = 'denied' AND purpose = 'report'
                           AND action = 'read_aggregate' AND endpoint LIKE 'GET /api/coverage/%' AND detail->>'status' = '403'""")
                .query(Long.class).single()).isEqualTo(12);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'planner' AND outcome = 'allowed'")
                .query(Long.class).single()).isZero();
        // what planners get instead: the same gaps as counts per building
        Map<String, Object> buildings = get("planner", "/api/coverage/visits/buildings?asOf=" + AS_OF + "&area=" + STREET
                + "&status=all").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) buildings.get("buildings")).isNotEmpty()
                .allSatisfy(b -> assertThat(b).containsKeys("items", "gaps").doesNotContainKeys("categories", "riskLevel", "place"));
        // building metrics list buildings, not persons: planners still get those rows
        assertThat(items(list("planner", "building-heads", "area=" + STREET))).isNotEmpty();

        long before = jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'admin' AND action = 'list_persons'")
                .query(Long.class).single();
        list("admin", "pharmacy-access", "area=" + STREET);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'admin' AND action = 'list_persons'")
                .query(Long.class).single()).isEqualTo(before + 1);
    }

    @Test
    void pharmacyGapsShowTheUnsnappableHomeAndTheEstimates() {
        Map<String, Object> gaps = list("admin", "pharmacy-access", "area=" + STREET);
        assertThat(items(gaps)).extracting(i -> i.get("id"), i -> i.get("value"), i -> i.get("estimate"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2", 20.0, false),
                        org.assertj.core.groups.Tuple.tuple("7", 1000 / 60.0, false),
                        org.assertj.core.groups.Tuple.tuple("8", null, false));
        Map<String, Object> ok = list("admin", "pharmacy-access", "area=" + STREET + "&status=ok");
        assertThat(items(ok)).filteredOn(i -> Boolean.TRUE.equals(i.get("estimate")))
                .extracting(i -> i.get("id")).containsExactlyInAnyOrder("3", "6");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBuildingsBehindAFigureFollowAWriteAtOnceThoughTheirCountsAreKept() {
        String grid1 = "/api/coverage/visits/buildings?asOf=" + AS_OF + "&grid=1";
        String wholeStreet = "/api/coverage/visits/buildings?asOf=" + AS_OF + "&area=" + STREET + "&status=all";
        java.util.function.Function<String, Map<String, Object>> page = uri -> get("planner", uri).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        java.util.function.Function<Map<String, Object>, Map<String, Object>> b2 = p -> ((List<Map<String, Object>>) p.get("buildings"))
                .stream().filter(b -> "B2".equals(b.get("name"))).findFirst().orElseThrow();
        assertThat((List<Map<String, Object>>) page.apply(grid1).get("buildings")).extracting(b -> b.get("name"))
                .containsExactly("B2", "B3");
        Map<String, Object> before = b2.apply(page.apply(wholeStreet));
        // opened again: the same, from the kept counts
        assertThat(b2.apply(page.apply(wholeStreet))).isEqualTo(before);
        try {
            // B2's overdue person 2 is visited on the day: B2 leaves grid 1's gaps, and the street's B2 has one more ok
            jdbc.sql("INSERT INTO visit (key_person_id, visited_at, method, recorded_by) "
                    + "VALUES (2, TIMESTAMPTZ '2026-06-15 09:30:00+08', 'door', 'buildings_test')").update();
            Map<String, Object> afterGrid = page.apply(grid1);
            assertThat(afterGrid.get("total")).isEqualTo(1);
            assertThat((List<Map<String, Object>>) afterGrid.get("buildings")).extracting(b -> b.get("name"))
                    .containsExactly("B3");
            Map<String, Object> after = b2.apply(page.apply(wholeStreet));
            assertThat(after.get("items")).isEqualTo(before.get("items"));
            assertThat(after.get("ok")).isEqualTo((Integer) before.get("ok") + 1);
            assertThat(after.get("gaps")).isEqualTo((Integer) before.get("gaps") - 1);
        } finally {
            jdbc.sql("DELETE FROM visit WHERE recorded_by = 'buildings_test'").update();
        }
        assertThat((List<Map<String, Object>>) page.apply(grid1).get("buildings")).extracting(b -> b.get("name"))
                .containsExactly("B2", "B3");
        assertThat(b2.apply(page.apply(wholeStreet))).isEqualTo(before);
    }

    @Test
    void recordingAVisitTakesThePersonOffTheOverdueListAtOnce() {
        assertThat(list("worker_g1", "visits", "").get("total")).isEqualTo(2);
        try {
            recordVisitToPersonTwo();
        } finally {
            // the other tests count on the fixture's ledger
            jdbc.sql("DELETE FROM visit WHERE recorded_by = 'worker_g1'").update();
        }
    }

    private void recordVisitToPersonTwo() {
        client.post().uri("/api/visits").headers(h -> h.setBasicAuth("worker_g1", Fixtures.PASSWORD))
                .bodyValue(Map.of("keyPersonId", 2, "method", "上门", "visitedAt", "2026-06-15T09:30:00+08:00",
                        "findings", "需要代购药品", "needsFound", List.of("medicine_delivery")))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.method").isEqualTo("door");
        assertThat(list("worker_g1", "visits", "").get("total")).isEqualTo(1);
        get("worker_g1", "/api/persons/2/visits").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].findings").isEqualTo("需要代购药品")
                .jsonPath("$[0].recordedBy").isEqualTo("worker_g1")
                .jsonPath("$[1].method").isEqualTo("phone");
    }

    @Test
    void aSummaryOpenedAgainIsServedFromItsCountsUntilItsOwnPlaceChanges() {
        String communityA = "area=" + COMMUNITY_A + "&asOf=" + AS_OF;
        long overdue = coverageGaps("planner", "visits", communityA);
        long served = storedCounts.served();
        assertThat(coverageGaps("planner", "visits", communityA)).isEqualTo(overdue);
        assertThat(storedCounts.served()).as("opened again, nothing changed").isEqualTo(served + 1);
        String visit = "INSERT INTO visit (key_person_id, visited_at, method, recorded_by) "
                + "VALUES (:p, TIMESTAMPTZ '2026-06-15 09:30:00+08', 'door', 'counts_test')";
        try {
            // a visit in community B leaves community A's counts standing
            jdbc.sql(visit).param("p", 6).update();
            assertThat(coverageGaps("planner", "visits", communityA)).isEqualTo(overdue);
            assertThat(storedCounts.served()).isEqualTo(served + 2);
            // a visit to A's overdue person 2: its grid counted again at once, one gap fewer
            long recounted = storedCounts.recounted();
            jdbc.sql(visit).param("p", 2).update();
            assertThat(coverageGaps("planner", "visits", communityA)).isEqualTo(overdue - 1);
            assertThat(storedCounts.served()).isEqualTo(served + 2);
            assertThat(storedCounts.recounted()).isEqualTo(recounted + 1);
        } finally {
            jdbc.sql("DELETE FROM visit WHERE recorded_by = 'counts_test'").update();
        }
        assertThat(coverageGaps("planner", "visits", communityA)).isEqualTo(overdue);
    }

    @Test
    void countsInUseLiveOnWhileNothingChangesAndUnusedOnesExpire() {
        long second = 1_000_000_000L;
        long[] now = {0};
        CoverageCounts counts = new CoverageCounts(jdbc, 10, Long.MAX_VALUE, 100, () -> now[0]);
        // a place no write of this test class touches
        CoverageCounts.Key key = new CoverageCounts.Key("ttl test", "999999%", null, java.time.LocalDate.parse(AS_OF));
        int[] countedWhole = {0};
        java.util.function.Supplier<Integer> count = () -> ++countedWhole[0];
        java.util.function.BiFunction<Integer, CoverageCounts.Changes, Integer> recount = (kept, changes) -> kept + 100;
        assertThat(counts.counts(key, count, recount)).isEqualTo(1);
        // read at 40 s: kept; at 70 s, past half its time: kept and renewed; at 150 s, 80 s after its renewal: kept
        for (long at : new long[] {40, 70, 150}) {
            now[0] = at * second;
            assertThat(counts.counts(key, count, recount)).as("read at %d s", at).isEqualTo(1);
        }
        assertThat(counts.served()).isEqualTo(3);
        // renewed at 150 s, then unread for 100 s: counted afresh
        now[0] = 250 * second;
        assertThat(counts.counts(key, count, recount)).isEqualTo(2);
        assertThat(countedWhole[0]).isEqualTo(2);
    }

    /** Counts of so many rows, for the row budget. */
    private record Rows(int n, long rows) implements CoverageCounts.Sized {
    }

    @Test
    void keptCountsHoldAtMostTheirRowsAndTheLeastRecentlyReadGoFirst() {
        CoverageCounts counts = new CoverageCounts(jdbc, 10, 100, 300, System::nanoTime);
        java.util.function.Function<String, CoverageCounts.Key> place = code ->
                new CoverageCounts.Key("row budget test", code + "%", null, java.time.LocalDate.parse(AS_OF));
        int[] counted = {0};
        java.util.function.BiFunction<Rows, CoverageCounts.Changes, Rows> recount = (kept, changes) -> kept;
        // places no write of this test class touches: 40 + 40 rows are kept; a third of 40 makes 120, over 100
        assertThat(counts.counts(place.apply("999991"), () -> new Rows(++counted[0], 40), recount).n()).isEqualTo(1);
        assertThat(counts.counts(place.apply("999992"), () -> new Rows(++counted[0], 40), recount).n()).isEqualTo(2);
        // the first is read again, so the second is the least recently read when the third comes
        assertThat(counts.counts(place.apply("999991"), () -> new Rows(++counted[0], 40), recount).n()).isEqualTo(1);
        assertThat(counts.counts(place.apply("999993"), () -> new Rows(++counted[0], 40), recount).n()).isEqualTo(3);
        assertThat(counts.counts(place.apply("999991"), () -> new Rows(++counted[0], 40), recount).n())
                .as("kept").isEqualTo(1);
        assertThat(counts.counts(place.apply("999992"), () -> new Rows(++counted[0], 40), recount).n())
                .as("gone, counted again").isEqualTo(4);
        // counts larger than the budget on their own are kept until the next ones come
        assertThat(counts.counts(place.apply("999994"), () -> new Rows(++counted[0], 500), recount).n()).isEqualTo(5);
        assertThat(counts.counts(place.apply("999994"), () -> new Rows(++counted[0], 500), recount).n()).isEqualTo(5);
        assertThat(counts.counts(place.apply("999991"), () -> new Rows(++counted[0], 40), recount).n())
                .as("let go for the large one").isEqualTo(6);
    }

    @Test
    void aWriteInOneGridCountsOnlyThatGridAgainAndTheStreetStillAddsUp() {
        String street = "area=" + STREET;
        Map<String, Map<String, String>> before = figures("planner", street);
        assertThat(before.get("visits")).containsEntry(STREET, "8/4").containsEntry(COMMUNITY_A, "5/2");
        assertThat(list("admin", "visits", "area=" + STREET).get("total")).isEqualTo(4);
        long recounted = storedCounts.recounted();
        try {
            // A's overdue person 2 is visited on the day: the street and community A have one gap fewer, B as it was
            jdbc.sql("INSERT INTO visit (key_person_id, visited_at, method, recorded_by) "
                    + "VALUES (2, TIMESTAMPTZ '2026-06-15 09:30:00+08', 'door', 'recount_test')").update();
            Map<String, Map<String, String>> after = figures("planner", street);
            assertThat(storedCounts.recounted()).as("only the changed grid counted again").isEqualTo(recounted + 1);
            assertThat(after.get("visits")).containsExactly(entry(STREET, "8/5"), entry(COMMUNITY_A, "5/3"),
                    entry(COMMUNITY_B, before.get("visits").get(COMMUNITY_B)));
            // the overdue list says as much (its length is the kept count), and lists the other three
            Map<String, Object> overdue = list("admin", "visits", "area=" + STREET);
            assertThat(overdue.get("total")).isEqualTo(3);
            assertThat(items(overdue)).hasSize(3).extracting(i -> i.get("id")).doesNotContain("2");
            Map<String, Map<String, String>> expected = new LinkedHashMap<>(before);
            expected.put("visits", after.get("visits"));
            assertThat(after).as("every other metric as before").isEqualTo(expected);
            // and the same as a count of the whole street from scratch
            storedCounts.forget();
            assertThat(figures("planner", street)).isEqualTo(after);
        } finally {
            jdbc.sql("DELETE FROM visit WHERE recorded_by = 'recount_test'").update();
        }
        assertThat(figures("planner", street)).isEqualTo(before);
    }

    @Test
    void everyTableTheKeptCountsReadSaysWhereItChanged() {
        for (Metric metric : Metric.values()) {
            for (String table : metric.maintainedTables()) {
                List<String> triggers = jdbc.sql("SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) "
                        + "AND tgfoid = CAST('record_coverage_change' AS regproc) ORDER BY tgname").param("t", table)
                        .query(String.class).list();
                assertThat(triggers).as(metric.id() + " reads " + table).containsExactly(table + "_coverage_change_delete",
                        table + "_coverage_change_insert", table + "_coverage_change_update");
            }
        }
    }

    @Test
    void visitsAreCheckedAtTheDoor() {
        postVisit("worker_g1", Map.of("keyPersonId", 1, "method", "fax")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("上门"));
        postVisit("worker_g1", Map.of("keyPersonId", 1, "method", "door", "visitedAt", "2099-01-01T00:00:00+08:00"))
                .expectStatus().isBadRequest();
        postVisit("worker_g1", Map.of("keyPersonId", 1, "method", "door", "escalate", true)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("escalationNote"));
        postVisit("worker_g1", Map.of("keyPersonId", 1, "method", "door", "needsFound", List.of("massage")))
                .expectStatus().isBadRequest();
        // person 6 lives in grid 3; person 9 is no key person
        postVisit("worker_g1", Map.of("keyPersonId", 6, "method", "door")).expectStatus().isNotFound();
        postVisit("worker_g1", Map.of("keyPersonId", 9, "method", "door")).expectStatus().isNotFound();
        postVisit("planner", Map.of("keyPersonId", 1, "method", "door")).expectStatus().isForbidden();
        postVisit("worker_g3", Map.of("keyPersonId", 6, "method", "wechat", "escalate", true,
                "escalationNote", "需要转诊")).expectStatus().isCreated()
                .expectBody().jsonPath("$.escalated").isEqualTo(true);
    }

    @Test
    void csvExportsOpenInExcelWithChineseHeaders() {
        byte[] csv = get("planner", "/api/coverage/summary?asOf=" + AS_OF + "&area=" + STREET + "&format=csv")
                .exchange().expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=UTF-8")
                .expectBody(byte[].class).returnResult().getResponseBody();
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF指标,指标代码,层级");
        // a header, then for each of the 14 metrics the street and its 2 communities
        assertThat(text.split("\r\n")).hasSize(1 + 14 * 3);
        assertThat(text).contains("楼栋长覆盖率,building-heads,street,510104020000,,测试街道,12,7,5,0.5833,1.0000,count");

        byte[] list = get("admin", "/api/coverage/visits?asOf=" + AS_OF + "&area=" + STREET)
                .header("Accept", "text/csv").exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(list, StandardCharsets.UTF_8).split("\r\n")).hasSize(5);
    }

    @Test
    void theExportOfAListIsTheWholeListInTheOrderOfItsPagesAndEveryNameInItIsAudited() throws Exception {
        String query = "asOf=" + AS_OF + "&area=" + LONG_STREET;
        List<String> paged = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            Map<String, Object> json = list("admin", "responsibility", "area=" + LONG_STREET + "&page=" + page);
            assertThat(json.get("total")).isEqualTo(120);
            items(json).forEach(i -> paged.add((String) i.get("id")));
        }
        assertThat(paged).hasSize(120).doesNotHaveDuplicates().startsWith("1001", "1002");
        String endpoint = "GET /api/coverage/responsibility";
        long audited = namesAudited("admin", endpoint);

        // page and size choose a page of the JSON; a file is the whole list whatever they say
        List<String> csv = csvLines(get("admin", "/api/coverage/responsibility?" + query + "&page=1&size=10&format=csv"));
        assertThat(csv).hasSize(1 + 120);
        assertThat(csv.get(0)).isEqualTo("\uFEFF编号,名称,位置,网格,是否达标,数值,估算,类别,风险等级");
        assertThat(csv.get(1)).isEqualTo("1001,长列1,L1,长列表网格,否,,否,elderly_alone,low");
        List<String[]> rows = csv.subList(1, csv.size()).stream().map(line -> line.split(",", -1)).toList();
        assertThat(rows).extracting(r -> r[0]).containsExactlyElementsOf(paged);
        long namesWritten = rows.stream().filter(r -> !r[1].isEmpty()).count();
        assertThat(namesWritten).isEqualTo(120);
        assertThat(namesAudited("admin", endpoint)).isEqualTo(audited + namesWritten);

        Path poiFiles = Path.of(System.getProperty("java.io.tmpdir"), "poifiles");
        List<String> tempBefore = streamingTempFiles(poiFiles);
        byte[] xlsx = get("admin", "/api/coverage/responsibility?" + query).header("Accept", ExportFormat.XLSX_TYPE)
                .exchange().expectStatus().isOk()
                .expectHeader().contentType(ExportFormat.XLSX_TYPE)
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = book.getSheetAt(0);
            assertThat(sheet.getSheetName()).isEqualTo("包保责任覆盖率");
            assertThat(sheet.getRow(0).getCell(4).getStringCellValue()).isEqualTo("共 120 条");
            assertThat(sheet.getRow(2).getCell(1).getStringCellValue()).isEqualTo("名称");
            assertThat(sheet.getLastRowNum()).isEqualTo(2 + 120);
            List<String> ids = new ArrayList<>();
            for (int r = 3; r <= sheet.getLastRowNum(); r++) {
                ids.add(sheet.getRow(r).getCell(0).getStringCellValue());
            }
            assertThat(ids).containsExactlyElementsOf(paged);
            assertThat(sheet.getRow(3).getCell(1).getStringCellValue()).isEqualTo("长列1");
        }
        assertThat(namesAudited("admin", endpoint)).isEqualTo(audited + 2 * namesWritten);
        // the workbook's rows went through temporary files, deleted once it was written
        assertThat(streamingTempFiles(poiFiles)).isSubsetOf(tempBefore);
    }

    @Test
    void plannersExportEveryBuildingBehindAFigureWithCountsButNoRowPerPerson() throws Exception {
        String query = "asOf=" + AS_OF + "&area=" + LONG_STREET;
        List<String> buildings = csvLines(get("planner_long", "/api/coverage/responsibility/buildings?" + query + "&format=csv"));
        assertThat(buildings).hasSize(1 + 120);
        assertThat(buildings.get(0)).isEqualTo("\uFEFF编号,名称,地址,网格,条目数,达标数,缺口数");
        assertThat(buildings.get(1)).isEqualTo("1001,L1,,长列表网格,1,0,1");
        assertThat(buildings.get(120)).isEqualTo("1120,L120,,长列表网格,1,0,1");
        assertThat(csvLines(get("planner_long", "/api/coverage/building-heads/buildings?" + query).header("Accept", "text/csv")))
                .hasSize(1 + 120);
        byte[] xlsx = get("planner_long", "/api/coverage/responsibility/buildings?" + query + "&format=xlsx")
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertThat(book.getSheetAt(0).getRow(0).getCell(4).getStringCellValue()).isEqualTo("共 120 栋");
            assertThat(book.getSheetAt(0).getLastRowNum()).isEqualTo(2 + 120);
        }
        // as GeoJSON the buildings' list stays a page, for the map
        Map<String, Object> page = get("planner_long", "/api/coverage/responsibility/buildings?" + query + "&format=geojson")
                .exchange().expectStatus().isOk().expectHeader().contentType("application/geo+json")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(page.get("total")).isEqualTo(120);
        assertThat((List<?>) page.get("features")).hasSize(50);
        // a metric of buildings lists buildings: the planner gets all of them too
        assertThat(csvLines(get("planner_long", "/api/coverage/building-heads?" + query + "&format=csv"))).hasSize(1 + 120);
        // the list of persons stays refused, whole or paged
        for (String format : List.of("csv", "xlsx")) {
            get("planner_long", "/api/coverage/responsibility?" + query + "&format=" + format).exchange()
                    .expectStatus().isForbidden();
        }
        get("planner_long", "/api/coverage/volunteers/buildings?" + query + "&format=csv").exchange().expectStatus().isBadRequest();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'planner_long' AND action = 'list_persons'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void aStreamedListSeesOnlyWhatItsCallerMaySee() {
        // the cursor runs under the caller's session: row-level security leaves a grid worker their own grid
        List<String> own = csvLines(get("worker_g1", "/api/coverage/visits?asOf=" + AS_OF + "&format=csv"));
        assertThat(own.subList(1, own.size())).extracting(line -> line.split(",")[0]).containsExactly("3", "2");
        get("worker_g1", "/api/coverage/visits?asOf=" + AS_OF + "&area=" + LONG_STREET + "&format=csv").exchange()
                .expectStatus().isNotFound();
        get("planner", "/api/coverage/building-heads/buildings?asOf=" + AS_OF + "&area=" + LONG_STREET + "&format=xlsx")
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void anExportBeyondThoseAllowedAtOnceIsToldToComeBackBeforeAnythingIsSent() throws Exception {
        exports.exportsSent.acquire(CoverageExports.EXPORTS_AT_ONCE);
        try {
            client.get().uri("/api/coverage/building-heads?asOf=" + AS_OF + "&area=" + STREET + "&format=csv")
                    .headers(h -> {
                        h.setBasicAuth("planner", Fixtures.PASSWORD);
                        h.set("Accept-Language", "en");
                    }).exchange().expectStatus().isEqualTo(503)
                    .expectHeader().doesNotExist("Content-Disposition")
                    .expectBody().jsonPath("$.detail").isEqualTo("4 lists are being exported already; try again in a moment");
        } finally {
            exports.exportsSent.release(CoverageExports.EXPORTS_AT_ONCE);
        }
        assertThat(csvLines(get("planner", "/api/coverage/building-heads?asOf=" + AS_OF + "&area=" + STREET + "&format=csv")))
                .hasSize(1 + 5);
        assertThat(exports.exportsSent.availablePermits()).isEqualTo(CoverageExports.EXPORTS_AT_ONCE);
    }

    @Test
    void xlsxExportsHaveASheetPerMetric() throws Exception {
        byte[] xlsx = get("planner", "/api/coverage/summary?asOf=" + AS_OF + "&area=" + STREET + "&format=xlsx")
                .exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertThat(book.getNumberOfSheets()).isEqualTo(14);
            assertThat(book.getSheetAt(0).getSheetName()).isEqualTo("楼栋长覆盖率");
            assertThat(book.getSheetAt(0).getRow(0).getCell(3).getStringCellValue()).isEqualTo("日期 " + AS_OF);
            assertThat(book.getSheetAt(0).getRow(3).getCell(6).getStringCellValue()).isEqualTo("12");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void geoJsonForAChoropleth() {
        Map<String, Object> collection = get("planner", "/api/coverage/summary?asOf=" + AS_OF + "&area=" + STREET + "&format=geojson")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        List<Map<String, Object>> features = (List<Map<String, Object>>) collection.get("features");
        assertThat(features).hasSize(2);
        Map<String, Object> a = (Map<String, Object>) features.get(0).get("properties");
        assertThat(a.get("code")).isEqualTo(COMMUNITY_A);
        assertThat(a.get("buildingHeadsRate")).isEqualTo(0.625);
        assertThat(a.get("buildingHeadsGaps")).isEqualTo(3);
        assertThat(((Map<String, Object>) features.get(0).get("geometry")).get("type")).isEqualTo("MultiPolygon");
        // the summary the map shows rides along, so that the planner's screen asks once
        Map<String, Object> summary = (Map<String, Object>) collection.get("summary");
        assertThat(summary).containsEntry("level", "street").containsEntry("code", STREET).containsEntry("asOf", AS_OF);
        Map<String, Object> heads = ((List<Map<String, Object>>) summary.get("metrics")).get(0);
        assertThat(heads).containsEntry("id", "building-heads");
        Map<String, Object> childA = ((List<Map<String, Object>>) heads.get("children")).get(0);
        assertThat(childA).containsEntry("code", COMMUNITY_A).containsEntry("gaps", 3).containsEntry("rate", 0.625);
    }

    @Test
    void badParametersAreRefusedInWords() {
        get("planner", "/api/coverage/summary?area=123").exchange().expectStatus().isBadRequest();
        get("planner", "/api/coverage/summary?asOf=yesterday").exchange().expectStatus().isBadRequest();
        get("planner", "/api/coverage/summary?format=pdf").exchange().expectStatus().isBadRequest();
        get("planner", "/api/coverage/happiness").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("building-heads"));
        get("planner", "/api/coverage/visits?status=maybe").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/coverage/summary").exchange().expectStatus().isUnauthorized();
    }

    @Test
    @SuppressWarnings("unchecked")
    void suggestionsForABuildingWithoutAHeadStartWithItsResidentsThenTheNearestVolunteers() {
        List<Map<String, Object>> all = get("admin", "/api/coverage/building-heads/suggestions?item=4&asOf=" + AS_OF)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        // P19 lives in B4; then volunteers by distance from B4's entrance (104.0085): P12 313 m, P9 940 m, P15, P17
        assertThat(all).extracting(c -> c.get("personId"), c -> c.get("reason"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(19, "lives_in_building"),
                        org.assertj.core.groups.Tuple.tuple(12, "nearest_volunteer"),
                        org.assertj.core.groups.Tuple.tuple(9, "nearest_volunteer"),
                        org.assertj.core.groups.Tuple.tuple(15, "nearest_volunteer"),
                        org.assertj.core.groups.Tuple.tuple(17, "nearest_volunteer"));
        assertThat((Double) all.get(1).get("distanceM")).isBetween(300.0, 330.0);
        assertThat(all.get(0).get("name")).isEqualTo("网格员一");

        List<Map<String, Object>> own = get("worker_g1", "/api/coverage/building-heads/suggestions?item=4&asOf=" + AS_OF)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(own).extracting(c -> c.get("personId")).containsExactly(19, 9);

        List<Map<String, Object>> planner = get("planner", "/api/coverage/reserve/suggestions?item=1&asOf=" + AS_OF)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(planner).extracting(c -> c.get("personId"), c -> c.get("name"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(12, null));
        get("planner", "/api/coverage/volunteer-stations/suggestions?item=1").exchange().expectStatus().isBadRequest();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWhatIfSaysWhichGapsCloseAndChangesNothing() {
        long assignments = jdbc.sql("SELECT count(*) FROM role_assignment").query(Long.class).single();
        Map<String, Object> answer = client.post().uri("/api/coverage/what-if")
                .headers(h -> h.setBasicAuth("planner", Fixtures.PASSWORD))
                .bodyValue(Map.of("area", STREET, "asOf", AS_OF, "appointments", List.of(
                        Map.of("role", "building_head", "personId", 19, "buildingId", 4),
                        Map.of("role", "building_head", "personId", 11, "buildingId", 3),
                        Map.of("role", "responsible", "personId", 9, "keyPersonId", 3))))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        ((List<Map<String, Object>>) answer.get("changes")).forEach(c -> changes.put((String) c.get("metric"), c));
        assertThat(changes).containsOnlyKeys("building-heads", "responsibility", "responsible-distance");
        assertThat(changes.get("building-heads").get("gapsClosed")).isEqualTo(2);
        assertThat(((Map<String, Object>) changes.get("building-heads").get("before")).get("ok")).isEqualTo(7);
        assertThat(((Map<String, Object>) changes.get("building-heads").get("after")).get("ok")).isEqualTo(9);
        assertThat(((Map<String, Object>) changes.get("responsibility").get("after")).get("ok")).isEqualTo(6);
        // P9 lives 627 m from P3 (straight line × 1.3): within 1 km, one more item and it meets
        assertThat(((Map<String, Object>) changes.get("responsible-distance").get("after")).get("total")).isEqualTo(6);
        assertThat(((Map<String, Object>) changes.get("responsible-distance").get("after")).get("ok")).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM role_assignment").query(Long.class).single()).isEqualTo(assignments);

        client.post().uri("/api/coverage/what-if").headers(h -> h.setBasicAuth("planner", Fixtures.PASSWORD))
                .bodyValue(Map.of("appointments", List.of(Map.of("role", "building_head", "personId", 19))))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("buildingId"));
        client.post().uri("/api/coverage/what-if").headers(h -> h.setBasicAuth("planner_b", Fixtures.PASSWORD))
                .bodyValue(Map.of("appointments", List.of(Map.of("role", "building_head", "personId", 19, "buildingId", 4))))
                .exchange().expectStatus().isNotFound();
    }

    // --- helpers


    private WebTestClient.ResponseSpec postVisit(String user, Map<String, Object> body) {
        return client.post().uri("/api/visits").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD))
                .bodyValue(body).exchange();
    }

    private Map<String, Object> summary(String user, String query) {
        return get(user, "/api/coverage/summary?asOf=" + AS_OF + "&" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metric(Map<String, Object> summary, String id) {
        return ((List<Map<String, Object>>) summary.get("metrics")).stream().filter(m -> m.get("id").equals(id))
                .findFirst().orElseThrow();
    }

    /** metric id → (place code → "total/ok"), the place itself first, then its children in order. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, String>> figures(String user, String query) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) summary(user, query).get("metrics")) {
            Map<String, String> places = new LinkedHashMap<>();
            Map<String, Object> area = (Map<String, Object>) m.get("area");
            places.put((String) area.get("code"), area.get("total") + "/" + area.get("ok"));
            for (Map<String, Object> child : (List<Map<String, Object>>) m.get("children")) {
                places.put((String) child.get("code"), child.get("total") + "/" + child.get("ok"));
            }
            result.put((String) m.get("id"), places);
        }
        return result;
    }

    /** A CSV answer's lines (the first with the byte-order mark). */
    private static List<String> csvLines(WebTestClient.RequestHeadersSpec<?> request) {
        byte[] csv = request.exchange().expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=UTF-8")
                .expectBody(byte[].class).returnResult().getResponseBody();
        return List.of(new String(csv, StandardCharsets.UTF_8).split("\r\n"));
    }

    /** How many persons' names the audit log says {@code user} was shown at {@code endpoint}, for reports. */
    private long namesAudited(String user, String endpoint) {
        return jdbc.sql("""
                        SELECT coalesce(sum(jsonb_array_length(detail->'person_ids')), 0) FROM audit_log
                         WHERE username = :user AND endpoint = :endpoint AND action = 'list_persons' AND purpose = 'report'
                        """).param("user", user).param("endpoint", endpoint).query(Long.class).single();
    }

    /** The temporary files of POI's streaming workbooks in {@code folder}. */
    private static List<String> streamingTempFiles(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("poi-sxssf")).toList();
        }
    }

    private Map<String, Object> list(String user, String metric, String query) {
        return get(user, "/api/coverage/" + metric + "?asOf=" + AS_OF + "&" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return Map.entry(key, value);
    }
}
