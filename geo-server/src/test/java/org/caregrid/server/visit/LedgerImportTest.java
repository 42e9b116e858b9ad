package org.caregrid.server.visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.caregrid.importer.ImportError;
import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.imports.ImportRequest;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Visit ledgers (走访台账) imported into a real PostGIS. Grid 1 (甲网格) has the key persons 李建国 (2号楼) and 赵敏
 * (3号楼), grid 2 (乙网格) 陈静; all three were registered 60 days ago with a 7-day interval and never visited, so all
 * three are overdue. Another 李建国 with the same phone tail lives in 3号楼 (not a key person): the ledger names the
 * building to tell them apart. 钱伟 is a resident, not a key person; 王志强 visits.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerImportTest extends ServerTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate TODAY = LocalDate.now(SHANGHAI);
    private static final LocalDate D1 = TODAY.minusDays(1);
    private static final LocalDate D2 = TODAY.minusDays(2);
    private static final LocalDate D30 = TODAY.minusDays(30);

    /** Three visits, dates written three ways; the last is old and changes no overdue figure. */
    private static final String LEDGER = """
            姓名,手机尾号,楼栋,走访日期,走访方式,走访人,走访人电话,走访情况,发现需求
            李建国,1111,2号楼,%s 09:30,上门走访,王志强,2222,血压正常,送药到户
            赵敏,6666,,%d年%d月%d日,电话,,,,
            李建国,1111,二栋,%s,视频,,,,
            """.formatted(D2.toString().replace('-', '/'), D1.getYear(), D1.getMonthValue(), D1.getDayOfMonth(), D30);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "ledger_import");
    }

    @Autowired
    ImportJobs jobs;

    @TempDir
    Path dir;

    @BeforeAll
    void fixture() {
        Fixtures.twoGrids(jdbc);
        jdbc.sql("""
                INSERT INTO building (id, name, area_code, grid_id, households, entrance) OVERRIDING SYSTEM VALUE VALUES
                  (1, '1号楼', '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.002, 30.002), 4326)),
                  (2, '2号楼', '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.003, 30.002), 4326)),
                  (3, '3号楼', '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.004, 30.002), 4326)),
                  (5, '5号楼', '510104020001', 2, 20, ST_SetSRID(ST_MakePoint(104.015, 30.002), 4326));
                INSERT INTO person (id, name, phone, building_id, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (1, '王志强', '13700002222', 1, '510104020001', 1),
                  (3, '李建国', '13900001111', 2, '510104020001', 1),
                  (4, '李建国', '13300001111', 3, '510104020001', 1),
                  (5, '陈静', '13600005555', 5, '510104020001', 2),
                  (6, '赵敏', '13600006666', 3, '510104020001', 1),
                  (7, '钱伟', '13500007777', 1, '510104020001', 1);
                INSERT INTO key_person (person_id, categories, risk_level, needs, registered_on) VALUES
                  (3, ARRAY['elderly_alone'], 'high', '{}', :registered),
                  (5, ARRAY['elderly_alone'], 'high', '{}', :registered),
                  (6, ARRAY['elderly_alone'], 'high', '{}', :registered);
                """).param("registered", TODAY.minusDays(60)).update();
        user("admin", "ADMIN", null, null, null);
        user("worker_a", "GRID_WORKER", null, 1L, 1L);
        user("planner", "PLANNER", "510104020000", null, null);
        user("dispatcher", "DISPATCHER", "510104020000", null, null);
    }

    @Test
    @Order(1)
    void anUnknownPersonAFutureDateANonKeyPersonANamesakeAndANulFailTheWholeFileNamingRowAndFieldAndNothingIsWritten()
            throws Exception {
        String before = snapshot();
        ImportJobs.Outcome outcome = run(write("台账-错.csv", LEDGER
                + "孙丽,9999,,%s,上门,,,,\n".formatted(D1)
                + "赵敏,6666,,%s,上门,,,,\n".formatted(TODAY.plusDays(2))
                + "钱伟,7777,,%s,上门,,,,\n".formatted(D1)
                + "李建国,1111,,%s,上门,,,,\n".formatted(D1)
                + "赵敏,6666,,%s,上门,,,发现\u0000问题,\n".formatted(D1)), false);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.errors()).extracting(ImportError::file, ImportError::row, ImportError::field)
                .containsExactly(tuple("台账-错.csv", 5L, "name"), tuple("台账-错.csv", 6L, "visitedAt"),
                        tuple("台账-错.csv", 7L, "name"), tuple("台账-错.csv", 8L, "name"),
                        tuple("台账-错.csv", 9L, "findings"));
        assertThat(outcome.errors()).extracting(ImportError::reason).containsExactly(
                "no person '孙丽' with a phone ending 9999 in the database",
                "visitedAt " + TODAY.plusDays(2).atStartOfDay(SHANGHAI).toOffsetDateTime() + " lies in the future",
                "'钱伟' is not a key person: only key persons' visits are kept in the ledger",
                "2 persons '李建国' with a phone ending 1111: give the ID number",
                "character 3 is a NUL character, which cannot be stored");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(overdueGaps()).isEqualTo(List.of(2L, 1L, 3L));
    }

    @Test
    @Order(2)
    void aLedgerOfThreeRowsStoresThreeVisitsAtTheirInstantsDropsTheOverdueGapsByTwoAndTwiceChangesNothing()
            throws Exception {
        assertThat(overdueGaps()).isEqualTo(List.of(2L, 1L, 3L));
        Path file = write("台账.csv", LEDGER);

        ImportJobs.Outcome first = run(file, false);

        assertThat(first.errors()).isEmpty();
        assertThat(first.succeeded()).isTrue();
        assertThat(first.counts()).containsExactly(Map.entry("create", 3L), Map.entry("unchanged", 0L));
        assertThat(jdbc.sql("""
                        SELECT key_person_id, visited_at, method, visitor_person_id, findings, needs_found::text,
                               recorded_by FROM visit ORDER BY id""")
                .query((rs, n) -> tuple(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3), rs.getObject(4), rs.getString(5), rs.getString(6), rs.getString(7))).list())
                .containsExactly(
                        tuple(3L, D2.atTime(LocalTime.of(9, 30)).atZone(SHANGHAI).toInstant(), "door", 1L, "血压正常",
                                "{medicine_delivery}", "test"),
                        tuple(6L, D1.atStartOfDay(SHANGHAI).toInstant(), "phone", null, null, "{}", "test"),
                        tuple(3L, D30.atStartOfDay(SHANGHAI).toInstant(), "wechat", null, null, "{}", "test"));
        // 李建国 and 赵敏 are no longer overdue: grid 1 drops by two, the community by two, grid 2 stays
        assertThat(overdueGaps()).isEqualTo(List.of(0L, 1L, 1L));

        String after = snapshot();
        ImportJobs.Outcome again = run(file, false);
        assertThat(again.succeeded()).isTrue();
        assertThat(again.counts()).containsExactly(Map.entry("create", 0L), Map.entry("unchanged", 3L));
        assertThat(again.steps(Ledgers.Step.class)).extracting(Ledgers.Step::row, Ledgers.Step::visitId)
                .containsExactly(tuple(2L, first.steps(Ledgers.Step.class).get(0).visitId()),
                        tuple(3L, first.steps(Ledgers.Step.class).get(1).visitId()),
                        tuple(4L, first.steps(Ledgers.Step.class).get(2).visitId()));
        assertThat(snapshot()).isEqualTo(after);
    }

    @Test
    @Order(3)
    void aGridWorkerDryRunsALedgerThroughTheApiAndNothingIsWritten() {
        String before = snapshot();
        long id = uploadImport("worker_a", "visits", "台账.csv", LEDGER + "赵敏,6666,3栋,%s 08:00,短信,,,,\n".formatted(D1),
                true);
        Map<String, Object> job = awaitImport("worker_a", id);

        assertThat(job).containsEntry("status", "succeeded").containsEntry("dryRun", true)
                .containsEntry("counts", Map.of("create", 1, "unchanged", 3));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> plan = (List<Map<String, Object>>) job.get("plan");
        assertThat(plan).filteredOn(step -> "create".equals(step.get("action")))
                .extracting(step -> step.get("row"), step -> step.get("person"), step -> step.get("method"),
                        step -> OffsetDateTime.parse((String) step.get("visitedAt")).toInstant())
                .containsExactly(tuple(5, "赵敏", "sms", D1.atTime(8, 0).atZone(SHANGHAI).toInstant()));
        // the plan names key persons: reading it leaves one audit row that lists them, 赵敏 among them
        long zhaoMin = jdbc.sql("SELECT id FROM person WHERE name = '赵敏'").query(Long.class).single();
        assertThat(auditedAdminReads("worker_a", "GET /api/imports/" + id, zhaoMin)).isEqualTo(1L);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(overdueGaps()).isEqualTo(List.of(0L, 1L, 1L));
    }

    @Test
    @Order(4)
    void aGridWorkerOfAnotherGridIsRefusedForAPersonOutsideItAndRolesThatMayNotImportAreRefused() {
        String before = snapshot();
        String chen = "姓名,电话,走访日期,走访方式\n陈静,5555,%s,上门\n".formatted(D1);

        Map<String, Object> refused = awaitImport("worker_a", uploadImport("worker_a", "visits", "台账.csv", chen, false));

        assertThat(refused).containsEntry("status", "failed");
        assertThat(refused.get("errors")).isEqualTo(List.of(Map.of("file", "台账.csv", "row", 2, "field", "name",
                "severity", "ERROR", "reason", "no person '陈静' with a phone ending 5555 in 甲网格 (GA)")));
        for (String user : List.of("planner", "dispatcher")) {
            client.post().uri("/api/imports").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD))
                    .body(BodyInserters.fromMultipartData(importForm("visits", "台账.csv", chen, false).build()))
                    .exchange().expectStatus().isForbidden();
        }
        assertThat(snapshot()).isEqualTo(before);
        assertThat(overdueGaps()).isEqualTo(List.of(0L, 1L, 1L));

        // the administrator reaches 陈静: grid 2 and the community drop by one
        assertThat(awaitImport("admin", uploadImport("admin", "visits", "台账.csv", chen, false)))
                .containsEntry("status", "succeeded").containsEntry("counts", Map.of("create", 1, "unchanged", 0));
        assertThat(overdueGaps()).isEqualTo(List.of(0L, 0L, 0L));
    }

    // ---- helpers

    private ImportJobs.Outcome run(Path file, boolean dryRun) {
        return runImport(jobs, file, new ImportRequest("visits", null, null, null, dryRun, false, null));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Everything a ledger may write, and the history. */
    private String snapshot() {
        return jdbc.sql("""
                SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM visit)
                       || '|' || (SELECT count(*) FROM change_history)""").query(String.class).single();
    }

    /** Overdue-visit gaps of grid 1, grid 2 and the community, as the coverage summary shows them to a planner. */
    private List<Long> overdueGaps() {
        return List.of(coverageGaps("planner", "visits", "grid=1"), coverageGaps("planner", "visits", "grid=2"),
                coverageGaps("planner", "visits", "area=510104020001"));
    }
}
