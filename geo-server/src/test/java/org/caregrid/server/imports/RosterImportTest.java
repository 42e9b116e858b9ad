package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.caregrid.importer.IdNumbers;
import org.caregrid.importer.ImportError;
import org.caregrid.server.assignment.Rosters;
import org.caregrid.server.people.IdNumberHasher;
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
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Rosters of heads and 包保 (楼栋长/单元长/包保责任人名册) imported into a real PostGIS. 阳光小区 (grid 1) has
 * 1号楼, 2号楼 and 3号楼 (units 1单元, 2单元); 月光小区 (grid 2) has 5号楼. 刘洋 heads 2号楼 at first; nobody
 * else heads anything. The roster names the buildings as ledgers do (1栋, 3栋, 三栋, 3号楼) and leaves 刘洋 out.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RosterImportTest extends ServerTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    private static final String ID = "11010519491231002" + IdNumbers.checkCharacter("11010519491231002");

    private static final String ROSTER = """
            小区,楼栋,单元,职务,姓名,手机尾号,身份证号,包保对象,包保对象电话,起始日期
            阳光小区,1栋,,楼栋长,王志强,2222,,,,
            阳光小区,3栋,,楼栋长,张秀英,,%s,,,2026-01-01
            阳光小区,三栋,1单元,单元长,王志强,13700002222,,,,
            阳光小区,3号楼,2,单元长,张秀英,5678,,,,
            ,,,包保责任人,王志强,2222,,李建国,1111,
            """.formatted(ID);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "roster_import");
    }

    @Autowired
    ImportJobs jobs;

    @Autowired
    IdNumberHasher hasher;

    @TempDir
    Path dir;

    @BeforeAll
    void fixture() {
        Fixtures.twoGrids(jdbc);
        jdbc.sql("""
                INSERT INTO compound (id, name, has_property_management, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (1, '阳光小区', true, '510104020001', 1), (2, '月光小区', false, '510104020001', 2);
                INSERT INTO building (id, name, compound_id, area_code, grid_id, households, entrance) OVERRIDING SYSTEM VALUE VALUES
                  (1, '1号楼', 1, '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.002, 30.002), 4326)),
                  (2, '2号楼', 1, '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.003, 30.002), 4326)),
                  (3, '3号楼', 1, '510104020001', 1, 20, ST_SetSRID(ST_MakePoint(104.004, 30.002), 4326)),
                  (5, '5号楼', 2, '510104020001', 2, 20, ST_SetSRID(ST_MakePoint(104.015, 30.002), 4326));
                INSERT INTO unit (id, building_id, number, households) OVERRIDING SYSTEM VALUE VALUES
                  (1, 3, '1单元', 10), (2, 3, '2单元', 10);
                INSERT INTO person (id, name, phone, building_id, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (1, '王志强', '13700002222', 1, '510104020001', 1),
                  (2, '张秀英', '13812345678', 3, '510104020001', 1),
                  (3, '李建国', '13900001111', 2, '510104020001', 1),
                  (4, '刘洋', '13500004444', 2, '510104020001', 1),
                  (5, '陈静', '13600005555', 5, '510104020001', 2);
                INSERT INTO key_person (person_id, categories, risk_level, needs) VALUES
                  (3, ARRAY['elderly_alone'], 'high', '{}');
                INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, valid_from) VALUES
                  (4, 'building_head', 'building', 2, DATE '2025-01-01');
                """).update();
        jdbc.sql("UPDATE person SET id_number_hash = :h, id_number_last4 = :l WHERE id = 2")
                .param("h", hasher.hash(ID).hash()).param("l", hasher.hash(ID).last4()).update();
        user("admin", "ADMIN", null, null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("planner", "PLANNER", "510104020000", null, null);
        user("dispatcher", "DISPATCHER", "510104020000", null, null);
    }

    @Test
    @Order(1)
    void anUnknownBuildingFailsTheWholeFileNamingRowAndFieldAndNothingIsWritten() throws Exception {
        String before = snapshot();
        ImportJobs.Outcome outcome = run(write("名册-错.csv", ROSTER + "阳光小区,9栋,,楼栋长,陈静,5555,,,,\n"),
                false, false);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.errors()).extracting(ImportError::file, ImportError::row, ImportError::field,
                ImportError::reason).containsExactly(tuple("名册-错.csv", 7L, "building", "no building '9栋' in 阳光小区"));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void aRosterAppointsTheHeadsOfRenamedBuildingsAndKeepsTheUnlistedHeadUntilAskedAndTwiceChangesNothing()
            throws Exception {
        assertThat(buildingHeadGaps()).isEqualTo(List.of(2L, 1L));
        Path file = write("名册.csv", ROSTER);

        ImportJobs.Outcome first = run(file, false, false);

        assertThat(first.errors()).isEmpty();
        assertThat(first.succeeded()).isTrue();
        assertThat(first.counts()).containsExactly(Map.entry("create", 5L), Map.entry("unchanged", 0L),
                Map.entry("end", 0L), Map.entry("unlisted", 1L));
        assertThat(first.steps(Rosters.Step.class)).extracting(Rosters.Step::action, Rosters.Step::row, Rosters.Step::role,
                Rosters.Step::building, Rosters.Step::unit, Rosters.Step::person, Rosters.Step::keyPerson).containsExactly(
                tuple("create", 2L, "building_head", "1号楼", null, "王志强", null),
                tuple("create", 3L, "building_head", "3号楼", null, "张秀英", null),
                tuple("create", 4L, "unit_head", "3号楼", "1单元", "王志强", null),
                tuple("create", 5L, "unit_head", "3号楼", "2单元", "张秀英", null),
                tuple("create", 6L, "responsible", null, null, "王志强", "李建国"),
                tuple("unlisted", 0L, "building_head", "2号楼", null, "刘洋", null));
        assertThat(jdbc.sql("""
                        SELECT role || '/' || person_id || '/' || coalesce(scope_building_id, scope_unit_id, scope_person_id)
                               || '/' || valid_from || '/' || coalesce(valid_to::text, '-')
                          FROM role_assignment ORDER BY id""").query(String.class).list())
                .containsExactly("building_head/4/2/2025-01-01/-",
                        "building_head/1/1/" + TODAY + "/-",
                        "building_head/2/3/2026-01-01/-",
                        "unit_head/1/1/" + TODAY + "/-",
                        "unit_head/2/2/" + TODAY + "/-",
                        "responsible/1/3/" + TODAY + "/-");
        assertThat(jdbc.sql("SELECT count(*) FROM change_history WHERE entity = 'assignment' AND reason = 'roster 名册.csv'")
                .query(Long.class).single()).isEqualTo(5L);
        // grid 1 and 月光小区's grid 2: 1号楼 and 3号楼 now have heads
        assertThat(buildingHeadGaps()).isEqualTo(List.of(0L, 1L));

        String after = snapshot();
        ImportJobs.Outcome again = run(file, false, false);
        assertThat(again.succeeded()).isTrue();
        assertThat(again.counts()).containsExactly(Map.entry("create", 0L), Map.entry("unchanged", 5L),
                Map.entry("end", 0L), Map.entry("unlisted", 1L));
        assertThat(snapshot()).isEqualTo(after);
    }

    @Test
    @Order(3)
    void aDryRunListsTheRemovedHeadAndTheRealRunEndsItRaisingTheGapByOne() throws Exception {
        Path file = write("名册.csv", ROSTER);
        String before = snapshot();

        ImportJobs.Outcome dry = run(file, true, true);

        assertThat(dry.succeeded()).isTrue();
        assertThat(dry.steps(Rosters.Step.class)).filteredOn(s -> !s.action().equals("unchanged"))
                .extracting(Rosters.Step::action, Rosters.Step::role, Rosters.Step::building, Rosters.Step::person,
                        Rosters.Step::validFrom, Rosters.Step::validTo)
                .containsExactly(tuple("end", "building_head", "2号楼", "刘洋", LocalDate.of(2025, 1, 1),
                        TODAY.minusDays(1)));
        assertThat(jobs.status(dry.jobId())).containsEntry("dryRun", true);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(buildingHeadGaps()).isEqualTo(List.of(0L, 1L));

        ImportJobs.Outcome real = run(file, false, true);

        assertThat(real.succeeded()).isTrue();
        assertThat(real.counts()).containsEntry("end", 1L).containsEntry("create", 0L);
        assertThat(jdbc.sql("SELECT valid_to || '/' || end_reason FROM role_assignment WHERE person_id = 4")
                .query(String.class).single()).isEqualTo(TODAY.minusDays(1) + "/not in the roster 名册.csv");
        assertThat(jdbc.sql("SELECT count(*) FROM role_assignment WHERE person_id = 4").query(Long.class).single())
                .isEqualTo(1L);
        assertThat(buildingHeadGaps()).isEqualTo(List.of(1L, 1L));

        String ended = snapshot();
        ImportJobs.Outcome again = run(file, false, true);
        assertThat(again.counts()).containsExactly(Map.entry("create", 0L), Map.entry("unchanged", 5L),
                Map.entry("end", 0L), Map.entry("unlisted", 0L));
        assertThat(snapshot()).isEqualTo(ended);
    }

    @Test
    @Order(4)
    void aGridWorkerDryRunsARosterOfTheirGridThroughTheApiAndCannotNameAnotherGridsBuilding() {
        String before = snapshot();
        // 2号楼 has had no head since 刘洋's end: the roster names one
        long ok = uploadImport("worker_a", "assignments", "名册.csv", ROSTER + "阳光小区,2号楼,,楼栋长,李建国,1111,,,,\n", true);
        Map<String, Object> job = awaitImport("worker_a", ok);
        assertThat(job).containsEntry("status", "succeeded").containsEntry("dryRun", true)
                .containsEntry("counts", Map.of("create", 1, "unchanged", 5, "end", 0, "unlisted", 0));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> plan = (List<Map<String, Object>>) job.get("plan");
        assertThat(plan).filteredOn(step -> "create".equals(step.get("action")))
                .extracting(step -> step.get("row"), step -> step.get("role"), step -> step.get("building"),
                        step -> step.get("person"), step -> step.get("validFrom"))
                .containsExactly(tuple(7, "building_head", "2号楼", "李建国", TODAY.toString()));
        // the plan names persons: reading it leaves an audit row that lists them
        long liJianguo = jdbc.sql("SELECT id FROM person WHERE name = '李建国'").query(Long.class).single();
        assertThat(auditedAdminReads("worker_a", "GET /api/imports/" + ok, liJianguo)).isEqualTo(1L);
        assertThat(snapshot()).isEqualTo(before);

        long outside = uploadImport("worker_a", "assignments", "名册.csv", "楼栋,职务,姓名,电话\n5号楼,楼栋长,陈静,5555\n", true);
        Map<String, Object> refused = awaitImport("worker_a", outside);
        assertThat(refused).containsEntry("status", "failed");
        assertThat(refused.get("errors")).isEqualTo(List.of(Map.of("file", "名册.csv", "row", 2, "field", "building",
                "severity", "ERROR", "reason", "no building '5号楼' in 甲网格 (GA)")));
        // another grid's job is not theirs to read; the administrator reads every job
        get("admin", "/api/imports/" + outside).exchange().expectStatus().isOk();
        long admins = uploadImport("admin", "assignments", "名册.csv", "楼栋,职务,姓名,电话\n5号楼,楼栋长,陈静,5555\n", true);
        assertThat(awaitImport("admin", admins)).containsEntry("status", "succeeded")
                .containsEntry("counts", Map.of("create", 1, "unchanged", 0, "end", 0, "unlisted", 0));
        get("worker_a", "/api/imports/" + admins).exchange().expectStatus().isNotFound();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void rolesThatMayNotImportRostersAreRefusedAndAGridWorkerImportsNothingElse() {
        String before = snapshot();
        for (String user : List.of("planner", "dispatcher")) {
            client.post().uri("/api/imports").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD))
                    .body(BodyInserters.fromMultipartData(importForm("assignments", "名册.csv", ROSTER, true).build()))
                    .exchange().expectStatus().isForbidden();
        }
        client.post().uri("/api/imports").headers(h -> h.setBasicAuth("worker_a", Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(importForm("facilities", "药店.csv",
                        "编号,名称,类型,经度,纬度\nY1,药店,pharmacy,104.005,30.005\n", false).build()))
                .exchange().expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("urn:caregrid:problem:forbidden",
                        "网格员只能导入楼栋长、单元长和包保责任人名册"));
        MultipartBodyBuilder maybe = importForm("assignments", "名册.csv", ROSTER, false);
        maybe.part("dryRun", "maybe");
        client.post().uri("/api/imports").headers(h -> h.setBasicAuth("worker_a", Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(maybe.build()))
                .exchange().expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body).contains("dryRun"));
        assertThat(snapshot()).isEqualTo(before);
    }

    // ---- helpers

    private ImportJobs.Outcome run(Path file, boolean dryRun, boolean endUnlisted) {
        return runImport(jobs, file, new ImportRequest("assignments", null, null, null, dryRun, endUnlisted, null));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Everything a roster may write, and the history of it. */
    private String snapshot() {
        return jdbc.sql("""
                SELECT (SELECT string_agg(id || ':' || role || ':' || person_id || ':' || coalesce(valid_to::text, '-')
                                          || ':' || version, ',' ORDER BY id) FROM role_assignment)
                       || '|' || (SELECT count(*) FROM change_history)""").query(String.class).single();
    }

    /** Building-head gaps of grid 1 and grid 2, as the coverage summary shows them to a planner. */
    private List<Long> buildingHeadGaps() {
        return List.of(coverageGaps("planner", "building-heads", "grid=1"), coverageGaps("planner", "building-heads", "grid=2"));
    }
}
