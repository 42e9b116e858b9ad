package org.caregrid.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.caregrid.server.db.DbSession;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database itself keeps each caller inside their scope: queries here deliberately carry no scope
 * predicate, run through the server's own pool as the caller would (the same settings the access
 * filter gives a request), and still see only what the policy allows. Two grids: grid 1 holds
 * persons 1, 3, 4 and buildings 1, 2; grid 2 holds person 2 and building 3 (fixtures/two-grids.sql).
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class RowLevelSecurityTest extends ServerTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "row_level_security");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
    }

    private static CaregridUser user(Role role, AreaScope scope, Long personId) {
        return new CaregridUser(99, role.name().toLowerCase(), "{noop}x", true, Set.of(role), scope, personId);
    }

    private static final CaregridUser GRID_WORKER_A = user(Role.GRID_WORKER, new AreaScope.Grid(1, "510104020001"), null);
    private static final CaregridUser PLANNER_B = user(Role.PLANNER, AreaScope.area("510104020002", "community"), null);
    private static final CaregridUser STREET_ADMIN = user(Role.ADMIN, AreaScope.area("510104020000", "street"), null);
    private static final CaregridUser VOLUNTEER = user(Role.VOLUNTEER, AreaScope.area("510104020000", "street"), 3L);

    // the server's own, as the coverage passes run in it
    @Autowired
    private TransactionTemplate transactions;

    private <T> T as(CaregridUser user, java.util.concurrent.Callable<T> call) throws Exception {
        return AccessPolicy.databaseSession(user).call(call);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private List<Long> ids(String sql) {
        return jdbc.sql(sql).query(Long.class).list();
    }

    @Test
    void theServerRunsAsARoleThatCannotBypassRowLevelSecurity() {
        var role = jdbc.sql("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
                .query((rs, n) -> List.of(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3))).single();
        assertThat(role).containsExactly("caregrid_app", false, false);
        List<String> owners = jdbc.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
                .query(String.class).list();
        assertThat(owners).doesNotContain("caregrid_app");
    }

    @Test
    void aGridWorkersQueryWithoutAScopePredicateSeesOnlyTheirGrid() throws Exception {
        assertThat(as(GRID_WORKER_A, () -> ids("SELECT id FROM person ORDER BY id"))).containsExactly(1L, 3L, 4L);
        assertThat(as(GRID_WORKER_A, () -> ids("SELECT id FROM building ORDER BY id"))).containsExactly(1L, 2L);
        assertThat(as(GRID_WORKER_A, () -> ids("SELECT id FROM unit ORDER BY id"))).containsExactly(1L, 2L);
        assertThat(as(GRID_WORKER_A, () -> ids("SELECT person_id FROM key_person ORDER BY 1"))).containsExactly(1L, 4L);
        assertThat(as(GRID_WORKER_A, () -> ids("SELECT person_id FROM volunteer ORDER BY 1"))).containsExactly(3L);
        assertThat(as(GRID_WORKER_A, () -> ids("SELECT scope_person_id FROM role_assignment ORDER BY 1"))).containsExactly(1L, 4L);
    }

    @Test
    void aCommunityPlannerSeesOnlyTheirCommunityAndAStreetAdministratorTheWholeStreet() throws Exception {
        assertThat(as(PLANNER_B, () -> ids("SELECT id FROM person ORDER BY id"))).containsExactly(2L);
        assertThat(as(PLANNER_B, () -> ids("SELECT person_id FROM key_person ORDER BY 1"))).containsExactly(2L);
        assertThat(as(STREET_ADMIN, () -> ids("SELECT id FROM person ORDER BY id"))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aVolunteerSeesOnlyThemselfAndTheKeyPersonTheyAreResponsibleForToday() throws Exception {
        // person 4 was theirs until yesterday
        assertThat(as(VOLUNTEER, () -> ids("SELECT id FROM person ORDER BY id"))).containsExactly(1L, 3L);
        assertThat(as(VOLUNTEER, () -> ids("SELECT person_id FROM key_person ORDER BY 1"))).containsExactly(1L);
    }

    /**
     * A need is seen by those who see its person (V52: by the person's community and grid, which the need carries):
     * person 1's medicine delivery (grid 1), person 2's companionship (grid 2); the volunteer is responsible for 1.
     */
    @Test
    void aNeedIsSeenByThoseWhoSeeItsPerson() throws Exception {
        String needs = "SELECT key_person_id FROM need ORDER BY 1";
        assertThat(DbSession.NONE.call(() -> ids(needs))).isEmpty();
        assertThat(as(GRID_WORKER_A, () -> ids(needs))).containsExactly(1L);
        assertThat(as(PLANNER_B, () -> ids(needs))).containsExactly(2L);
        assertThat(as(STREET_ADMIN, () -> ids(needs))).containsExactly(1L, 2L);
        assertThat(as(VOLUNTEER, () -> ids(needs))).containsExactly(1L);
    }

    /**
     * The policies hold in PostgreSQL's parallel workers too. V53 made every function in the person, need and coverage
     * state policies PARALLEL SAFE, so that a city's passes over key persons and needs are planned in parallel; a
     * worker runs with the caller's settings as the session hands them over, and must see what the caller alone
     * would (the tests above). Each query here is planned in parallel and workers run it, or the test fails. On a
     * table of one page the session's own process may read it first (without it taking part, PostgreSQL plans one
     * worker for such a table and then prefers no parallel plan): that the workers see the caller's scope was checked
     * on the 1 M and 10 M benchmark cities, where they read most of the rows and the counts were those of one process.
     */
    @Test
    void thePoliciesHoldInAParallelWorker() throws Exception {
        String persons = "SELECT id FROM person ORDER BY id";
        String needs = "SELECT key_person_id FROM need ORDER BY 1";
        String state = "SELECT person_id FROM coverage_key_person ORDER BY 1";
        assertThat(as(GRID_WORKER_A, () -> inAWorker(persons))).containsExactly(1L, 3L, 4L);
        assertThat(as(PLANNER_B, () -> inAWorker(persons))).containsExactly(2L);
        assertThat(as(VOLUNTEER, () -> inAWorker(persons))).containsExactly(1L, 3L);
        assertThat(as(GRID_WORKER_A, () -> inAWorker(needs))).containsExactly(1L);
        assertThat(as(PLANNER_B, () -> inAWorker(needs))).containsExactly(2L);
        assertThat(as(VOLUNTEER, () -> inAWorker(needs))).containsExactly(1L);
        assertThat(as(GRID_WORKER_A, () -> inAWorker(state))).containsExactly(1L, 4L);
        assertThat(as(PLANNER_B, () -> inAWorker(state))).containsExactly(2L);
        assertThat(as(VOLUNTEER, () -> inAWorker(state))).containsExactly(1L);
        assertThat(DbSession.NONE.call(() -> inAWorker(persons))).isEmpty();
    }

    /**
     * The ids {@code sql} reads when parallel workers scan the table, failing if none did: on a few rows only when
     * starting workers costs the planner nothing (PostgreSQL's debug setting that forces a worker does not reach a plan
     * that has the policies' once-per-statement terms on its top node).
     */
    private List<Long> inAWorker(String sql) {
        return transactions.execute(status -> {
            // the server's pool starts no workers but for the coverage passes (DatabaseConfig)
            jdbc.sql("SELECT set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true), "
                    + "set_config('min_parallel_table_scan_size', '0', true), "
                    + "set_config('max_parallel_workers_per_gather', '2', true)").query((rs, n) -> n).list();
            String plan = jdbc.sql("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).query(String.class).single();
            assertThat(plan).as(sql).containsPattern("\"Workers Launched\": [12]");
            return ids(sql);
        });
    }

    @Test
    void aCallerWithoutASessionSeesNoPersonalRow() throws Exception {
        assertThat(DbSession.NONE.call(() -> ids("SELECT id FROM person"))).isEmpty();
        assertThat(DbSession.NONE.call(() -> ids("SELECT id FROM building"))).isEmpty();
    }

    @Test
    void aGridWorkerCannotWriteARowIntoAnotherGrid() {
        assertThatThrownBy(() -> as(GRID_WORKER_A, () -> jdbc.sql(
                "INSERT INTO person (name, area_code, grid_id) VALUES ('越界', '510104020002', 2)").update()))
                .satisfies(e -> assertThat(rootMessage(e)).contains("row-level security"));
        assertThat(jdbc.sql("SELECT count(*) FROM person WHERE name = '越界'").query(Long.class).single()).isZero();
        // and an update of a row they cannot see changes nothing
        int changed = 0;
        try {
            changed = as(GRID_WORKER_A, () -> jdbc.sql("UPDATE person SET room = 'x' WHERE id = 2").update());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(changed).isZero();
    }

    @Test
    void theAuditLogCanOnlyBeAddedToAndOnlyAdministratorsReadIt() throws Exception {
        as(GRID_WORKER_A, () -> jdbc.sql("INSERT INTO audit_log (username, action, endpoint, person_id, purpose) "
                + "VALUES ('worker_a', 'read_person', 'test', 1, 'visit')").update());
        assertThat(as(GRID_WORKER_A, () -> jdbc.sql("SELECT count(*) FROM audit_log").query(Long.class).single())).isZero();
        assertThat(as(STREET_ADMIN, () -> jdbc.sql("SELECT count(*) FROM audit_log WHERE endpoint = 'test'")
                .query(Long.class).single())).isEqualTo(1);
        for (String bypass : List.of("TRUNCATE audit_log", "DELETE FROM audit_log", "UPDATE audit_log SET username = 'x'",
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "SET session_replication_role = replica", "ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY",
                "DROP TABLE audit_log")) {
            assertThatThrownBy(() -> as(STREET_ADMIN, () -> jdbc.sql(bypass).update()))
                    .as(bypass).satisfies(e -> assertThat(rootMessage(e)).containsAnyOf("permission denied", "must be owner"));
        }
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE endpoint = 'test'").query(Long.class).single()).isEqualTo(1);
    }
}
