package org.caregrid.server.visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.caregrid.server.db.DatabaseRoles;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One visit is one row (V35's unique index): two identical visits sent at once store one and answer the other
 * 409 in words; and a database that already holds duplicates migrates, keeping them, marked.
 * 李建国 (person 3) is a key person of grid 1; 王志强 (person 1) is its grid worker.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class DuplicateVisitTest extends ServerTest {

    private static final String VISIT = """
            {"keyPersonId": 3, "method": "door", "visitedAt": "2026-11-20T09:30:00+08:00", "findings": "血压正常"}""";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "duplicate_visit");
    }

    @BeforeAll
    void fixture() {
        Fixtures.twoGrids(jdbc);
        jdbc.sql("""
                INSERT INTO building (id, name, area_code, grid_id, households, entrance) OVERRIDING SYSTEM VALUE VALUES
                  (1, '1号楼', '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.002, 30.002), 4326));
                INSERT INTO person (id, name, phone, building_id, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (1, '王志强', '13700002222', 1, '510104020001', 1),
                  (3, '李建国', '13900001111', 1, '510104020001', 1);
                INSERT INTO key_person (person_id, categories, risk_level) VALUES (3, ARRAY['elderly_alone'], 'high');
                """).update();
        user("worker_a", "GRID_WORKER", null, 1L, 1L);
    }

    @Test
    void twoIdenticalVisitsSentAtOnceStoreOneAndTheOtherIsTold409InWords() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> sent = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return client.post().uri("/api/visits").headers(h -> h.setBasicAuth("worker_a", Fixtures.PASSWORD))
                            .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(VISIT)
                            .exchange().returnResult(String.class).getStatus().value();
                })).toList();
        start.countDown();
        List<Integer> statuses = sent.stream().map(CompletableFuture::join).sorted().toList();

        assertThat(statuses).containsExactly(201, 409);
        assertThat(jdbc.sql("SELECT count(*) FROM visit WHERE key_person_id = 3").query(Long.class).single()).isEqualTo(1L);

        // sent again later: the same answer, in either language, and still one row
        Map<String, Object> zh = send("worker_a", HttpMethod.POST, "/api/visits", VISIT, null, 409);
        assertThat((String) zh.get("detail")).contains("这次走访已经记录过", "重点人员 3", "door");
        Map<String, Object> en = send("worker_a", HttpMethod.POST, "/api/visits", VISIT, null, "en", 409);
        assertThat((String) en.get("detail")).startsWith("This visit is already recorded: key person 3 at ").contains(" by door");
        assertThat(jdbc.sql("SELECT count(*) FROM visit WHERE key_person_id = 3").query(Long.class).single()).isEqualTo(1L);

        // another method, or another instant, is another visit
        send("worker_a", HttpMethod.POST, "/api/visits", VISIT.replace("door", "phone"), null, 201);
        send("worker_a", HttpMethod.POST, "/api/visits", VISIT.replace("09:30", "09:31"), null, 201);
        assertThat(jdbc.sql("SELECT count(*) FROM visit WHERE key_person_id = 3").query(Long.class).single()).isEqualTo(3L);
    }

    @Test
    void aDatabaseHoldingDuplicatesMigratesKeepingThemMarkedAsCopiesOfTheFirst() throws SQLException {
        TestDatabase.DbCoordinates db = TestDatabase.fresh("visit_duplicates_migration");
        org.flywaydb.core.api.configuration.FluentConfiguration config = Flyway.configure()
                .dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .placeholders(DatabaseRoles.migrationPlaceholders(DatabaseRoles.DEFAULT_APP_ROLE));
        // the schema just before V35 (other branches may add V32..V34: whichever is last of those)
        String beforeV35 = java.util.Arrays.stream(config.load().info().all())
                .map(m -> m.getVersion()).filter(v -> !v.isAtLeast("35")).max(Comparable::compareTo).orElseThrow().getVersion();
        config.target(beforeV35).load().migrate();
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO building (id, name, households, entrance) OVERRIDING SYSTEM VALUE
                      VALUES (1, '1栋', 10, ST_SetSRID(ST_MakePoint(104.08, 30.65), 4326));
                    INSERT INTO person (id, name, building_id) OVERRIDING SYSTEM VALUE VALUES (1, '张三', 1), (2, '李四', 1);
                    INSERT INTO key_person (person_id, categories, risk_level) VALUES (1, ARRAY['elderly_alone'], 'high');
                    INSERT INTO visit (id, key_person_id, visitor_person_id, visited_at, method, recorded_by) OVERRIDING SYSTEM VALUE VALUES
                      (1, 1, 2, '2026-11-20 10:00+08', 'door', 'a'),
                      (2, 1, 2, '2026-11-20 10:00+08', 'door', 'b'),
                      (3, 1, NULL, '2026-11-20 10:00+08', 'door', 'c'),
                      (4, 1, NULL, '2026-11-20 10:00+08', 'door', 'd'),
                      (5, 1, NULL, '2026-11-20 10:00+08', 'door', 'e'),
                      (6, 1, NULL, '2026-11-20 10:00+08', 'phone', 'f');
                    SELECT setval(pg_get_serial_sequence('visit', 'id'), 100);
                    """);
        }

        assertThat(config.target("latest").load().migrate().success).isTrue();

        try (Connection c = db.open()) {
            List<String> rows = new java.util.ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id, duplicate_of FROM visit ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + ":" + rs.getObject(2));
                }
            }
            // nothing deleted; the later copies point at the first of theirs
            assertThat(rows).containsExactly("1:null", "2:1", "3:null", "4:3", "5:3", "6:null");
        }
        // from now on the database refuses a copy, a visitor-less one too
        for (String visitor : List.of("2", "NULL")) {
            assertThatThrownBy(() -> {
                try (Connection c = db.open(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO visit (key_person_id, visitor_person_id, visited_at, method, recorded_by) "
                            + "VALUES (1, " + visitor + ", '2026-11-20 10:00+08', 'door', 'x')");
                }
            }).isInstanceOf(SQLException.class).satisfies(e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("23505");
                assertThat(e.getMessage()).contains("visit_same_visit_idx");
            });
        }
    }
}
