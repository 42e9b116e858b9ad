package org.caregrid.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrations apply to an empty database, and the schema refuses rows that make no sense. */
class SchemaConstraintsTest {

    private static TestDatabase.DbCoordinates db;
    private static MigrateResult migration;

    @BeforeAll
    static void migrateEmptyDatabase() throws SQLException {
        db = TestDatabase.fresh("schema");
        migration = Flyway.configure().dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration")
                .placeholders(DatabaseRoles.migrationPlaceholders(DatabaseRoles.DEFAULT_APP_ROLE)).load().migrate();
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO admin_area (code, level, name, parent_code) VALUES
                      ('510100000000', 'city', '成都市', NULL),
                      ('510104000000', 'district', '锦江区', '510100000000'),
                      ('510104020000', 'street', '街道', '510104000000'),
                      ('510104020001', 'community', '社区', '510104020000');
                    INSERT INTO grid (code, name, community_code) VALUES ('G1', '第一网格', '510104020001');
                    INSERT INTO building (id, name, households, entrance) OVERRIDING SYSTEM VALUE
                      VALUES (1, '1栋', 10, ST_SetSRID(ST_MakePoint(104.08, 30.65), 4326));
                    INSERT INTO unit (id, building_id, number, households) OVERRIDING SYSTEM VALUE
                      VALUES (1, 1, '1单元', 5);
                    INSERT INTO person (id, name, building_id) OVERRIDING SYSTEM VALUE VALUES (1, '张三', 1);
                    INSERT INTO key_person (person_id, categories, risk_level) VALUES (1, ARRAY['elderly_alone'], 'high');
                    SELECT setval(pg_get_serial_sequence('building', 'id'), 100);
                    SELECT setval(pg_get_serial_sequence('unit', 'id'), 100);
                    SELECT setval(pg_get_serial_sequence('person', 'id'), 100);
                    """);
        }
    }

    @Test
    void migrationsApplyToAnEmptyDatabase() throws SQLException {
        assertThat(migration.success).isTrue();
        assertThat(migration.migrationsExecuted).isGreaterThanOrEqualTo(1);
        try (Connection c = db.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FROM information_schema.tables
                      WHERE table_schema = 'public' AND table_name IN ('admin_area', 'grid', 'compound', 'building',
                        'unit', 'person', 'key_person', 'role_assignment', 'volunteer', 'facility',
                        'micro_organisation', 'visit', 'delivery_request', 'route_plan', 'route', 'route_stop',
                        'app_user', 'audit_log')
                     """)) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(18);
        }
    }

    @Test
    void everyGeometryIsWgs84AndIndexed() throws SQLException {
        try (Connection c = db.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FILTER (WHERE srid <> 4326),
                            count(*) FILTER (WHERE NOT EXISTS (
                              SELECT 1 FROM pg_indexes i WHERE i.tablename = g.f_table_name
                                 AND i.indexdef LIKE '%USING gist (' || g.f_geometry_column || ')%')
                              AND (g.f_table_name, g.f_geometry_column) <> ('coverage_key_person', 'home'))
                       FROM geometry_columns g WHERE f_table_schema = 'public'
                     """)) {
            rs.next();
            assertThat(rs.getInt(1)).as("geometry columns not in EPSG:4326").isZero();
            // the maintained state's copy of a key person's home is read by person, never searched by place (V49)
            assertThat(rs.getInt(2)).as("geometry columns without a GiST index").isZero();
        }
    }

    @Test
    void aUnitMustBelongToAnExistingBuilding() {
        assertRejected("INSERT INTO unit (building_id, number) VALUES (NULL, '2单元')", "23502");
        assertRejected("INSERT INTO unit (building_id, number) VALUES (999, '2单元')", "23503");
    }

    @Test
    void householdCountsCannotBeNegative() {
        assertRejected("INSERT INTO unit (building_id, number, households) VALUES (1, '3单元', -1)", "23514");
        assertRejected("UPDATE building SET households = -5 WHERE id = 1", "23514");
    }

    @Test
    void aVisitMethodMustBeOneOfTheFour() {
        assertRejected("INSERT INTO visit (key_person_id, visited_at, method, recorded_by) VALUES (1, now(), 'fax', 'x')", "23514");
    }

    @Test
    void anAreaCodeMustFitItsLevelAndParent() {
        // a community code with zeros where the community part goes
        assertRejected("INSERT INTO admin_area (code, level, name, parent_code) VALUES ('510104020000', 'community', 'x', '510104020000')", "23514");
        // a community under a parent that is not its street
        assertRejected("INSERT INTO admin_area (code, level, name, parent_code) VALUES ('510104021002', 'community', 'x', '510104020000')", "23514");
        assertRejected("INSERT INTO admin_area (code, level, name) VALUES ('51010402000A', 'street', 'x')", "23514");
    }

    @Test
    void aGridBelongsToACommunityNotAStreet() {
        assertRejected("INSERT INTO grid (code, name, community_code) VALUES ('G9', 'x', '510104020000')", "23503");
    }

    @Test
    void aRoleGoesWithItsKindOfPlace() {
        assertRejected("INSERT INTO role_assignment (person_id, role, scope_type, scope_grid_id) "
                + "VALUES (1, 'building_head', 'grid', (SELECT id FROM grid))", "23514");
        assertRejected("INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, scope_unit_id) "
                + "VALUES (1, 'building_head', 'building', 1, 1)", "23514");
        assertRejected("INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, valid_from, valid_to) "
                + "VALUES (1, 'building_head', 'building', 1, DATE '2025-02-01', DATE '2025-01-01')", "23514");
    }

    @Test
    void aPersonsUnitMustBeInThePersonsBuilding() {
        assertRejected("""
                WITH b AS (INSERT INTO building (households, entrance)
                           VALUES (1, ST_SetSRID(ST_MakePoint(104.0, 30.0), 4326)) RETURNING id)
                INSERT INTO person (name, building_id, unit_id) SELECT '李四', b.id, 1 FROM b
                """, "23503");
    }

    @Test
    void keyPersonCategoriesComeFromTheList() {
        assertRejected("UPDATE key_person SET categories = ARRAY['rich'] WHERE person_id = 1", "23514");
        assertRejected("UPDATE key_person SET categories = ARRAY[]::text[] WHERE person_id = 1", "23514");
    }

    @Test
    void theAuditLogCannotBeRewritten() throws SQLException {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO audit_log (username, action, endpoint, person_id) VALUES ('a', 'read_person', '/x', 1)");
        }
        assertRejected("UPDATE audit_log SET username = 'b'", "P0001");
        assertRejected("DELETE FROM audit_log", "P0001");
    }

    @Test
    void onlyAnAdministratorMayHaveNoScope() {
        assertRejected("INSERT INTO app_user (username, password_hash, roles) VALUES ('p1', 'x', ARRAY['PLANNER'])", "23514");
        assertRejected("INSERT INTO app_user (username, password_hash, roles, scope_area_code) "
                + "VALUES ('g1', 'x', ARRAY['GRID_WORKER'], '510104020001')", "23514");
    }

    @Test
    void theSchemasDayIsTheConfiguredZonesDayThatTheServerSetsNotTheDatabasesClock() throws SQLException {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // a day the database's clock never shows, so the default can only have come from the setting
            s.execute("SELECT set_config('caregrid.today', '2031-03-04', true)");
            try (ResultSet rs = s.executeQuery("""
                    INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id)
                    VALUES (1, 'building_head', 'building', 1) RETURNING valid_from""")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2031-03-04");
            }
            c.rollback();
            // outside the server (psql, a migration) there is no setting, and the database's date is the only one
            try (ResultSet rs = s.executeQuery("SELECT caregrid_today() = current_date")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            c.rollback();
        }
    }

    @Test
    void noDefaultPolicyOrFunctionOfTheSchemaAsksTheDatabasesClockForToday() throws SQLException {
        try (Connection c = db.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT 'default ' || d.adrelid::regclass || '.' || a.attname
                       FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                      WHERE pg_get_expr(d.adbin, d.adrelid) ILIKE '%current_date%'
                        AND d.adrelid::regclass::text NOT LIKE 'flyway%'
                     UNION ALL
                     SELECT 'policy ' || tablename || '.' || policyname FROM pg_policies
                      WHERE concat(qual, with_check) ILIKE '%current_date%'
                     UNION ALL
                     SELECT 'function ' || proname FROM pg_proc
                      WHERE pronamespace = 'public'::regnamespace AND prosrc ILIKE '%current_date%'
                        AND proname <> 'caregrid_today'""")) {
            List<String> found = new ArrayList<>();
            while (rs.next()) {
                found.add(rs.getString(1));
            }
            assertThat(found).isEmpty();
        }
    }

    private static void assertRejected(String sql, String sqlState) {
        assertThatThrownBy(() -> {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo(sqlState));
    }
}
