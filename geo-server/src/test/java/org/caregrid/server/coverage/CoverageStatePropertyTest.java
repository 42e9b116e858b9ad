package org.caregrid.server.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.caregrid.importer.AssignmentRole;
import org.caregrid.importer.Head;
import org.caregrid.importer.KeyCategory;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.Need;
import org.caregrid.importer.Person;
import org.caregrid.importer.RiskLevel;
import org.caregrid.importer.Visit;
import org.caregrid.importer.VisitMethod;
import org.caregrid.server.imports.RecordLoader;
import org.caregrid.server.people.IdNumberHasher;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Random writes of every kind that moves a coverage figure, on the coverage fixture, in seeded batches;
 * after each batch the maintained state must equal the full computation, item by item and figure by
 * figure at every level, on days before, around and after the writes' dates.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class CoverageStatePropertyTest extends ServerTest {

    private static final long[] SEEDS = {11, 23, 47};
    private static final int BATCHES_PER_SEED = 8;
    private static final int WRITES_PER_BATCH = 14;
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 5, 1);
    private static final List<LocalDate> ITEM_DAYS = List.of(LocalDate.of(2025, 12, 31), LocalDate.of(2026, 6, 1),
            LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 10), LocalDate.of(2026, 11, 30));
    private static final List<LocalDate> FIGURE_DAYS = List.of(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 10));
    private static final List<String> RISKS = List.of("low", "medium", "high");
    private static final List<String> CATEGORIES = List.of("elderly_alone", "elderly_very_old", "home_treatment",
            "minimum_allowance", "child_left_behind", "severe_mental_disorder");
    private static final List<String> HEALTH = List.of("pharmacy", "clinic", "village_clinic", "community_health_centre");

    @Autowired
    CoverageVerifier verifier;

    @Autowired
    CoverageCounts storedCounts;

    @Autowired
    CoverageQueries queries;

    @Autowired
    DrillDown drillDown;

    private Random random;
    private int loads;
    private final Set<Metric> buildingsCompared = java.util.EnumSet.noneOf(Metric.class);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "coverage-state");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/coverage.sql");
        user("admin", "ADMIN", null, null, null);
        // files name buildings and persons by external id
        jdbc.sql("UPDATE building SET external_id = 'B' || id").update();
        jdbc.sql("UPDATE person SET external_id = 'P' || id").update();
    }

    @Test
    void theMaintainedFiguresEqualTheFullComputationAfterEveryBatchOfRandomWrites() throws Exception {
        assertConsistent("the fixture");
        int writes = 0;
        for (long seed : SEEDS) {
            random = new Random(seed);
            for (int batch = 0; batch < BATCHES_PER_SEED; batch++) {
                List<String> done = new ArrayList<>();
                for (int w = 0; w < WRITES_PER_BATCH; w++) {
                    done.add(write());
                    writes++;
                }
                assertConsistent("seed " + seed + ", batch " + batch + " after " + done);
            }
        }
        assertThat(writes).isEqualTo(SEEDS.length * BATCHES_PER_SEED * WRITES_PER_BATCH);
        // with no write since, every summary is served from its stored counts, and they still agree
        long served = storedCounts.served();
        assertConsistent("read again without writes");
        assertThat(storedCounts.served()).isGreaterThan(served);
        // every list of buildings was compared while it had buildings in it
        assertThat(buildingsCompared).containsExactlyInAnyOrder(Metric.BUILDING_HEADS, Metric.UNIT_HEADS,
                Metric.RESPONSIBILITY, Metric.RESPONSIBLE_DISTANCE, Metric.VISITS, Metric.PHARMACY_ACCESS,
                Metric.NEEDS_OPEN);
    }

    private void assertConsistent(String when) {
        assertThat(verifier.items("", ITEM_DAYS, 5)).as("items, " + when).isEmpty();
        CoverageArea city = queries.findArea("510100000000", null).orElseThrow();
        assertThat(verifier.figures(city, FIGURE_DAYS)).as("figures, " + when).isEmpty();
        assertGapPagesAsComputed(city, when);
        assertBuildingsAsComputed(city, when);
        // the place a need's policy reads (V52) is its person's, after moves of persons and of buildings
        assertThat(jdbc.sql("""
                SELECT count(*) FROM need n JOIN person p ON p.id = n.key_person_id
                 WHERE n.area_code IS DISTINCT FROM p.area_code OR n.grid_id IS DISTINCT FROM p.grid_id
                """).query(Long.class).single()).as("needs placed elsewhere than their persons, " + when).isZero();
    }

    /**
     * The buildings behind each figure, as the summary counts and keeps them (and counts again where a write lands),
     * are the full computation's items added up per building: same buildings, counts and order.
     */
    private void assertBuildingsAsComputed(CoverageArea area, String when) {
        for (Metric metric : Metric.values()) {
            if (!List.of("building", "unit", "person", "need").contains(metric.itemKind())) {
                continue;
            }
            for (LocalDate day : FIGURE_DAYS) {
                Map<String, Object> params = queries.placeParameters(area, SqlPredicate.TRUE, day);
                List<String> expected = jdbc.sql("""
                                SELECT i.building_id, count(*) AS items, count(*) FILTER (WHERE i.ok) AS ok
                                  FROM (%s) i
                                 WHERE i.building_id IS NOT NULL
                                   AND i.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)
                                 GROUP BY i.building_id
                                 ORDER BY count(*) - count(*) FILTER (WHERE i.ok) DESC, count(*) DESC, i.building_id
                                """.formatted(metric.itemsSql(Metric.Computation.FULL)))
                        .params(params)
                        .query((rs, n) -> rs.getLong("building_id") + " " + rs.getLong("items") + "/" + rs.getLong("ok"))
                        .list();
                List<String> read = drillDown.buildings(metric, area, AreaScope.everywhere(), day, DrillDown.Status.ALL,
                        0, 10_000).buildings().stream().map(b -> b.id() + " " + b.items() + "/" + b.ok()).toList();
                assertThat(read).as("buildings of %s on %s, %s", metric.id(), day, when).containsExactlyElementsOf(expected);
                if (!read.isEmpty()) {
                    buildingsCompared.add(metric);
                }
            }
        }
    }

    /**
     * The pages of the gap lists read in list order from the maintained state's indexes are the slices of the whole
     * list that the full computation sorts: same persons, buildings and units, same order, same length.
     */
    private void assertGapPagesAsComputed(CoverageArea area, String when) {
        int size = 4;
        AreaScope everywhere = AreaScope.everywhere();
        for (Metric metric : Metric.values()) {
            if (metric.gapsInListOrderSql() == null) {
                continue;
            }
            for (LocalDate day : ITEM_DAYS) {
                DrillDown.Page whole = drillDown.list(metric, area, everywhere, SqlPredicate.TRUE, day, DrillDown.Status.GAP,
                        0, 10_000, false, Metric.Computation.FULL);
                for (int page = 0; page < 3; page++) {
                    DrillDown.Page read = drillDown.list(metric, area, everywhere, SqlPredicate.TRUE, day,
                            DrillDown.Status.GAP, page, size, false, Metric.Computation.MAINTAINED);
                    List<String> expected = whole.items().stream().skip((long) page * size).limit(size)
                            .map(CoverageStatePropertyTest::shown).toList();
                    assertThat(read.items()).as("%s on %s, page %d, %s", metric.id(), day, page, when)
                            .map(CoverageStatePropertyTest::shown).containsExactlyElementsOf(expected);
                    assertThat(read.total()).as("%s on %s, length, %s", metric.id(), day, when).isEqualTo(whole.total());
                }
            }
        }
    }

    private static String shown(DrillDown.Item item) {
        return item.id() + (item.value() == null ? "" : String.format(java.util.Locale.ROOT, " %.6f", item.value()));
    }

    /** One random write; returns what it did, for the failure message. */
    private String write() throws Exception {
        int kind = random.nextInt(23);
        return switch (kind) {
            case 0, 1 -> appoint();
            case 2 -> endAssignment();
            case 3 -> deleteAssignment();
            case 4, 5 -> visitBySql();
            case 6 -> visitByApi();
            case 7 -> deleteVisit();
            case 8 -> movePerson();
            case 9 -> newFacility();
            case 10 -> moveOrCloseFacility();
            case 11 -> newKeyPerson();
            case 12 -> changeKeyPerson();
            case 13 -> volunteer();
            case 14 -> storedWalk();
            case 15 -> responsibleWalk();
            case 16 -> newBuilding();
            case 17 -> moveBuilding();
            case 18 -> importThroughTheLoader();
            case 19 -> closeOrReopen();
            case 20 -> openNeed();
            case 21 -> resolveNeed();
            default -> deleteKeyPerson();
        };
    }

    private String appoint() {
        String role = pick(List.of("building_head", "unit_head", "responsible", "delivery_squad", "reserve",
                "grid_worker", "community_worker"));
        long person = anyId("SELECT id FROM person");
        String scopeType;
        Long target;
        switch (role) {
            case "building_head" -> {
                scopeType = "building";
                target = anyId("SELECT id FROM building");
            }
            case "unit_head" -> {
                scopeType = "unit";
                target = anyId("SELECT id FROM unit");
            }
            case "responsible" -> {
                scopeType = "person";
                target = anyId("SELECT person_id FROM key_person");
            }
            default -> {
                scopeType = "grid";
                target = anyId("SELECT id FROM grid");
            }
        }
        if (target == null) {
            return "no " + scopeType + " to appoint to";
        }
        LocalDate from = day();
        LocalDate to = random.nextInt(3) == 0 ? null : from.plusDays(random.nextInt(60));
        String column = "scope_" + (scopeType.equals("person") ? "person_id" : scopeType + "_id");
        try {
            jdbc.sql("INSERT INTO role_assignment (person_id, role, scope_type, " + column + ", valid_from, valid_to, tier) "
                            + "VALUES (:p, :r, :t, :s, :f, :to, :tier)")
                    .param("p", person).param("r", role).param("t", scopeType).param("s", target).param("f", from)
                    .param("to", to).param("tier", role.equals("reserve") ? tier(person) : null, java.sql.Types.VARCHAR)
                    .update();
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // the schema allows one head in office per building or unit: a second one is refused, and that is a write too
            return "refused: a second " + role + " for " + target;
        }
        return role + " " + person + "→" + target + " " + from + ".." + to;
    }

    /** A reserve member's tier, from their id so that the random sequence stays as it was: none, street, county, city. */
    private static String tier(long person) {
        return new String[] {null, "street", "county", "city"}[(int) (person % 4)];
    }

    private String endAssignment() {
        Long id = anyId("SELECT id FROM role_assignment");
        if (id == null) {
            return "nothing to end";
        }
        int days = random.nextInt(40);
        try {
            jdbc.sql("UPDATE role_assignment SET valid_to = greatest(valid_from, DATE '2026-06-01' + :d) WHERE id = :id")
                    .param("d", days).param("id", id).update();
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            return "refused: moving the end of " + id + " would overlap another head";
        }
        return "end assignment " + id;
    }

    private String deleteAssignment() {
        Long id = anyId("SELECT id FROM role_assignment");
        if (id != null) {
            jdbc.sql("DELETE FROM role_assignment WHERE id = :id").param("id", id).update();
        }
        return "delete assignment " + id;
    }

    private String visitBySql() {
        Long person = anyId("SELECT person_id FROM key_person");
        if (person == null) {
            return "no key person";
        }
        // any hour, so that a visit late in the UTC evening falls on the next day in Chengdu
        OffsetDateTime at = day().atTime(random.nextInt(24), random.nextInt(60)).atOffset(ZoneOffset.UTC);
        jdbc.sql("INSERT INTO visit (key_person_id, visited_at, method, recorded_by) VALUES (:p, :at, 'door', 'property') "
                        + "ON CONFLICT DO NOTHING")
                .param("p", person).param("at", at).update();
        return "visit " + person + " at " + at;
    }

    private String visitByApi() {
        Long person = anyId("SELECT person_id FROM key_person");
        if (person == null) {
            return "no key person";
        }
        String at = day() + "T" + String.format("%02d", random.nextInt(24)) + ":30:00+08:00";
        client.post().uri("/api/visits").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .bodyValue(Map.of("keyPersonId", person, "method", "电话", "visitedAt", at))
                .exchange().expectStatus().isCreated();
        return "API visit " + person + " at " + at;
    }

    private String deleteVisit() {
        Long id = anyId("SELECT id FROM visit");
        if (id != null) {
            jdbc.sql("DELETE FROM visit WHERE id = :id").param("id", id).update();
        }
        return "delete visit " + id;
    }

    private String movePerson() {
        long person = anyId("SELECT id FROM person");
        long building = anyId("SELECT id FROM building");
        Long unit = random.nextBoolean() ? anyId("SELECT id FROM unit WHERE building_id = " + building) : null;
        boolean located = random.nextInt(3) == 0;
        jdbc.sql("""
                UPDATE person p SET building_id = b.id, unit_id = :u, area_code = b.area_code, grid_id = b.grid_id,
                       location = CASE WHEN :located THEN ST_SetSRID(ST_MakePoint(:x, 30.002), 4326) END
                  FROM building b WHERE b.id = :b AND p.id = :p
                """).param("u", unit).param("located", located).param("x", 104.0 + random.nextDouble() * 0.04)
                .param("b", building).param("p", person).update();
        return "move person " + person + " to building " + building + " unit " + unit;
    }

    private String newFacility() {
        String kind = random.nextInt(4) == 0 ? "community_office" : pick(HEALTH);
        double x = 104.0 + random.nextDouble() * 0.04;
        double y = 30.0 + random.nextDouble() * 0.01;
        jdbc.sql("INSERT INTO facility (kind, name, location) VALUES (:k, 'new', ST_SetSRID(ST_MakePoint(:x, :y), 4326))")
                .param("k", kind).param("x", x).param("y", y).update();
        return "new " + kind + " at " + x + "," + y;
    }

    private String moveOrCloseFacility() {
        Long id = anyId("SELECT id FROM facility");
        if (id == null) {
            return "no facility";
        }
        if (random.nextBoolean()) {
            jdbc.sql("DELETE FROM facility WHERE id = :id").param("id", id).update();
            return "close facility " + id;
        }
        jdbc.sql("UPDATE facility SET location = ST_SetSRID(ST_MakePoint(:x, 30.004), 4326), kind = :k WHERE id = :id")
                .param("x", 104.0 + random.nextDouble() * 0.04).param("k", pick(HEALTH)).param("id", id).update();
        return "move facility " + id;
    }

    private String newKeyPerson() {
        long building = anyId("SELECT id FROM building");
        long id = jdbc.sql("""
                INSERT INTO person (name, building_id, area_code, grid_id)
                SELECT '新人', b.id, b.area_code, b.grid_id FROM building b WHERE b.id = :b RETURNING id
                """).param("b", building).query(Long.class).single();
        jdbc.sql("INSERT INTO key_person (person_id, categories, risk_level, needs, registered_on) "
                        + "VALUES (:p, ARRAY[:c], :r, :n, :on)")
                .param("p", id).param("c", pick(CATEGORIES)).param("r", pick(RISKS))
                .param("n", random.nextBoolean() ? new String[] {"medicine_delivery"} : new String[0])
                .param("on", day()).update();
        return "new key person " + id + " in building " + building;
    }

    private String changeKeyPerson() {
        Long id = anyId("SELECT person_id FROM key_person");
        if (id == null) {
            return "no key person";
        }
        Integer interval = random.nextBoolean() ? null : 1 + random.nextInt(40);
        jdbc.sql("UPDATE key_person SET risk_level = :r, categories = ARRAY[:c], visit_interval_days = :i, "
                        + "needs = CASE WHEN :need THEN ARRAY['medicine_delivery'] ELSE '{}' END WHERE person_id = :p")
                .param("r", pick(RISKS)).param("c", pick(CATEGORIES)).param("i", interval)
                .param("need", random.nextBoolean()).param("p", id).update();
        return "change key person " + id;
    }

    /**
     * A person leaves the register on a day (deceased, moved away) or a closing is undone: by SQL, or through
     * the API, which also ends their assignments and cancels their requests. Key persons half of the time.
     */
    private String closeOrReopen() {
        Long id = anyId(random.nextBoolean() ? "SELECT person_id FROM key_person" : "SELECT id FROM person");
        if (id == null) {
            return "no one to close";
        }
        var person = jdbc.sql("""
                        SELECT p.version, p.closed_on IS NOT NULL AS closed, k.registered_on
                          FROM person p LEFT JOIN key_person k ON k.person_id = p.id WHERE p.id = :p
                        """)
                .param("p", id).query((rs, n) -> new Object[] {rs.getInt(1), rs.getBoolean(2), rs.getObject(3, LocalDate.class)})
                .single();
        String ifMatch = "\"" + person[0] + "\"";
        boolean api = random.nextBoolean();
        if ((boolean) person[1]) {
            if (api) {
                client.post().uri("/api/persons/" + id + "/reopen").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                        .header("If-Match", ifMatch).bodyValue(Map.of("reason", "closed by mistake"))
                        .exchange().expectStatus().isOk();
            } else {
                jdbc.sql("UPDATE person SET closed_on = NULL, closed_reason = NULL WHERE id = :p").param("p", id).update();
            }
            return (api ? "API " : "") + "reopen " + id;
        }
        LocalDate on = day();
        String reason = pick(List.of("deceased", "moved_away"));
        if (api) {
            LocalDate registered = (LocalDate) person[2];
            LocalDate last = registered != null && on.isBefore(registered) ? registered : on;
            client.post().uri("/api/persons/" + id + "/close").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                    .header("If-Match", ifMatch).bodyValue(Map.of("reason", reason, "on", last.toString()))
                    .exchange().expectStatus().isOk();
            return "API close " + id + " on " + last;
        }
        jdbc.sql("UPDATE person SET closed_on = :on, closed_reason = :r WHERE id = :p")
                .param("on", on).param("r", reason).param("p", id).update();
        return "close " + id + " on " + on;
    }

    /**
     * A need opened within the days compared, half of the time on or next to one of them (a profile's needs open when
     * it is registered, which is today, after every day compared), unless one of its kind is still unresolved.
     */
    private String openNeed() {
        Long person = anyId("SELECT person_id FROM key_person");
        if (person == null) {
            return "no key person";
        }
        String kind = pick(List.of("medicine_delivery", "meal_ordering", "companionship", "garbage_pickup"));
        OffsetDateTime at = nearComparedDay().atTime(random.nextInt(24), 0).atOffset(ZoneOffset.ofHours(8));
        int opened = jdbc.sql("""
                        INSERT INTO need (key_person_id, kind, source, opened_at) VALUES (:p, :k, 'profile', :at)
                        ON CONFLICT (key_person_id, kind) WHERE status IN ('open', 'taken', 'escalated') DO NOTHING
                        """).param("p", person).param("k", kind).param("at", at).update();
        return opened == 0 ? "need " + kind + " of " + person + " already open" : "need " + kind + " of " + person + " on " + at;
    }

    /** A waiting need escalated or done on a later day (or the same): it stops waiting on that day. */
    private String resolveNeed() {
        Long id = anyId("SELECT id FROM need WHERE status = 'open'");
        if (id == null) {
            return "no open need";
        }
        OffsetDateTime opened = jdbc.sql("SELECT opened_at FROM need WHERE id = :n").param("n", id)
                .query(OffsetDateTime.class).single();
        OffsetDateTime at = nearComparedDay().atTime(random.nextInt(24), 30).atOffset(ZoneOffset.ofHours(8));
        if (at.isBefore(opened)) {
            at = opened.plusHours(random.nextInt(24 * 20));
        }
        if (random.nextBoolean()) {
            jdbc.sql("""
                    UPDATE need SET status = 'escalated', escalated_at = :at, escalation_note = 'no one free',
                                    escalated_by = 'property test' WHERE id = :n
                    """).param("at", at).param("n", id).update();
            return "need " + id + " escalated on " + at;
        }
        jdbc.sql("UPDATE need SET status = 'done', done_at = :at, done_by = 'property test' WHERE id = :n")
                .param("at", at).param("n", id).update();
        return "need " + id + " done on " + at;
    }

    /** Half of the time a day compared (or the day before or after it), so that a need's first and last days are met. */
    private LocalDate nearComparedDay() {
        if (random.nextBoolean()) {
            return day();
        }
        List<LocalDate> compared = new ArrayList<>(ITEM_DAYS);
        compared.addAll(FIGURE_DAYS);
        return pick(compared).plusDays(random.nextInt(3) - 1);
    }

    private String deleteKeyPerson() {
        Long id = anyId("SELECT person_id FROM key_person");
        if (id != null) {
            jdbc.sql("DELETE FROM key_person WHERE person_id = :p").param("p", id).update();
        }
        return "delete key person " + id;
    }

    private String volunteer() {
        long person = anyId("SELECT id FROM person");
        int choice = random.nextInt(3);
        if (choice == 0) {
            jdbc.sql("DELETE FROM volunteer WHERE person_id = :p").param("p", person).update();
            return "volunteer " + person + " leaves";
        }
        jdbc.sql("""
                INSERT INTO volunteer (person_id, teams, travel_mode, home, is_reserve, reserve_tier)
                VALUES (:p, CASE WHEN :squad THEN ARRAY['medicine_delivery'] ELSE '{}' END, 'foot',
                        ST_SetSRID(ST_MakePoint(:x, 30.003), 4326), :reserve, CASE WHEN :reserve THEN CAST(:tier AS text) END)
                ON CONFLICT (person_id) DO UPDATE SET teams = EXCLUDED.teams, home = EXCLUDED.home,
                                                      is_reserve = EXCLUDED.is_reserve, reserve_tier = EXCLUDED.reserve_tier
                """).param("p", person).param("squad", random.nextBoolean()).param("x", 104.0 + random.nextDouble() * 0.05)
                .param("reserve", random.nextBoolean()).param("tier", tier(person), java.sql.Types.VARCHAR).update();
        return "volunteer " + person;
    }

    private String storedWalk() {
        Long person = anyId("SELECT person_id FROM key_person");
        if (person == null) {
            return "no key person";
        }
        if (random.nextInt(4) == 0) {
            jdbc.sql("DELETE FROM nearest_facility WHERE person_id = :p").param("p", person).update();
            return "forget the walk of " + person;
        }
        Long facility = anyId("SELECT id FROM facility");
        boolean reached = facility != null && random.nextInt(4) > 0;
        double seconds = 300 + random.nextInt(900);
        jdbc.sql("""
                INSERT INTO nearest_facility (person_id, facility_group, status, facility_id, distance_m, duration_s, computed_at)
                VALUES (:p, 'health', :s, :f, :m, :d, TIMESTAMPTZ '2026-06-01 03:00:00+08' + :h * interval '1 hour')
                ON CONFLICT (person_id, facility_group) DO UPDATE SET status = EXCLUDED.status,
                    facility_id = EXCLUDED.facility_id, distance_m = EXCLUDED.distance_m,
                    duration_s = EXCLUDED.duration_s, computed_at = EXCLUDED.computed_at
                """).param("p", person).param("s", reached ? "reached" : "unreachable").param("f", reached ? facility : null)
                .param("m", reached ? seconds * 1.2 : null).param("d", reached ? seconds : null)
                .param("h", random.nextInt(300)).update();
        return "walk of " + person + (reached ? " " + seconds + " s" : " unreachable");
    }

    private String responsibleWalk() {
        var pair = jdbc.sql("SELECT scope_person_id, person_id FROM role_assignment WHERE role = 'responsible' "
                        + "ORDER BY id OFFSET :o LIMIT 1")
                .param("o", random.nextInt(Math.max(1, count("SELECT count(*) FROM role_assignment WHERE role = 'responsible'"))))
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).optional();
        if (pair.isEmpty()) {
            return "no responsible";
        }
        boolean reached = random.nextInt(4) > 0;
        double metres = 200 + random.nextInt(1600);
        jdbc.sql("""
                INSERT INTO responsible_walk (key_person_id, responsible_person_id, status, distance_m, duration_s, computed_at)
                VALUES (:k, :r, :s, :m, :d, TIMESTAMPTZ '2026-06-02 03:00:00+08' + :h * interval '1 hour')
                ON CONFLICT (key_person_id, responsible_person_id) DO UPDATE SET status = EXCLUDED.status,
                    distance_m = EXCLUDED.distance_m, duration_s = EXCLUDED.duration_s, computed_at = EXCLUDED.computed_at
                """).param("k", pair.get()[0]).param("r", pair.get()[1]).param("s", reached ? "reached" : "unreachable")
                .param("m", reached ? metres : null).param("d", reached ? metres / 1.2 : null)
                .param("h", random.nextInt(300)).update();
        return "walk from " + pair.get()[0] + " to responsible " + pair.get()[1];
    }

    private String newBuilding() {
        int n = 1 + random.nextInt(4);
        double x = 104.0005 + random.nextDouble() * 0.039;
        // where the grid and community are, as an import's spatial join would find them
        long id = jdbc.sql("""
                INSERT INTO building (name, area_code, grid_id, entrance)
                SELECT 'new', (SELECT a.code FROM admin_area a WHERE a.level = 'community' AND ST_Contains(a.geom, pt)),
                       (SELECT g.id FROM grid g WHERE ST_Contains(g.geom, pt)), pt
                  FROM (SELECT ST_SetSRID(ST_MakePoint(:x, 30.006), 4326) AS pt) p
                RETURNING id
                """).param("x", x).query(Long.class).single();
        jdbc.sql("INSERT INTO unit (building_id, number) SELECT :b, n::text FROM generate_series(1, :n) n")
                .param("b", id).param("n", n).update();
        return "new building " + id + " with " + n + " units";
    }

    private String moveBuilding() {
        long id = anyId("SELECT id FROM building");
        long grid = anyId("SELECT id FROM grid");
        jdbc.sql("""
                UPDATE building b SET grid_id = g.id, area_code = g.community_code,
                       entrance = ST_SetSRID(ST_MakePoint(:x, 30.001), 4326)
                  FROM grid g WHERE g.id = :g AND b.id = :b
                """).param("x", 104.0 + random.nextDouble() * 0.04).param("g", grid).param("b", id).update();
        return "move building " + id + " to grid " + grid;
    }

    /** A small ledger through the import loader: residents, their key-person profiles, heads and visits. */
    private String importThroughTheLoader() throws Exception {
        String source = "ledger-" + (++loads);
        List<String> buildings = jdbc.sql("SELECT external_id FROM building WHERE external_id IS NOT NULL ORDER BY id")
                .query(String.class).list();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            RecordLoader loader = new RecordLoader(c, source, source + ".csv", IdNumberHasher.withKey(key));
            int residents = 1 + random.nextInt(4);
            for (int i = 0; i < residents; i++) {
                String building = pick(buildings);
                loader.person(new Person("R" + i, "居民" + i, Person.Gender.UNKNOWN, null, null, null, building,
                        random.nextBoolean() ? "1" : null, "10" + i, null, false));
                loader.keyPerson(new KeyPersonProfile("R" + i, Set.of(pick(List.of(KeyCategory.values()))),
                        pick(List.of(RiskLevel.values())), random.nextBoolean() ? Set.of(Need.MEDICINE_DELIVERY) : Set.of(),
                        random.nextBoolean() ? "P" + (9 + random.nextInt(12)) : null));
                loader.visit(new Visit(source + "-v" + i, "R" + i, null, day(), VisitMethod.PHONE, null));
                if (random.nextBoolean()) {
                    loader.head(new Head(AssignmentRole.BUILDING_HEAD, building, null, "R" + i));
                }
            }
            loader.finish();
            c.commit();
            return "import " + source + " of " + residents + " residents";
        }
    }

    private LocalDate day() {
        return FIRST_DAY.plusDays(random.nextInt(90));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Long.class).single().intValue();
    }

    /** A random row's id in a stable order (so that a seed replays), or null when there are none. */
    private Long anyId(String sql) {
        int n = count("SELECT count(*) FROM (" + sql + ") x");
        if (n == 0) {
            return null;
        }
        return jdbc.sql("SELECT * FROM (" + sql + ") x ORDER BY 1 OFFSET :o LIMIT 1").param("o", random.nextInt(n))
                .query(Long.class).single();
    }
}
