package org.caregrid.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.caregrid.server.db.EmbeddedPostgis;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code backup} under a running embedded PostGIS, then {@code restore} into a fresh data folder: the restored
 * database holds the same rows, geometry and Chinese text included, and PostGIS works in it.
 */
class BackupRestoreTest {

    private static final String CONTENT = """
            SELECT (SELECT count(*) FROM building) || '/' || (SELECT count(*) FROM person) || '/'
                   || (SELECT md5(string_agg(name || ST_AsText(footprint), '|' ORDER BY id)) FROM building) || '/'
                   || (SELECT round(sum(ST_Area(footprint::geography))) FROM building)""";

    @Test
    void aBackupRestoredIntoAFreshDataFolderHoldsTheSameRows() throws Exception {
        Path base = Path.of("target", "backup-test-" + System.nanoTime()).toAbsolutePath();
        Path original = base.resolve("original");
        Path fresh = base.resolve("fresh");
        Path file = base.resolve("caregrid.backup");
        String before;
        try (EmbeddedPostgis server = EmbeddedPostgis.forHome(original).start()) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                 Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE building (id serial PRIMARY KEY, name text, footprint geometry(Polygon, 4326));
                        CREATE TABLE person (id serial PRIMARY KEY, building_id int REFERENCES building, name text);
                        INSERT INTO building (name, footprint)
                        SELECT '玉林小区' || g || '栋', ST_MakeEnvelope(104.0 + g * 0.001, 30.6, 104.0005 + g * 0.001, 30.6005, 4326)
                          FROM generate_series(1, 120) g;
                        INSERT INTO person (building_id, name) SELECT 1 + g % 120, '居民' || g FROM generate_series(1, 3000) g;
                        """);
                before = single(s, CONTENT);
            }
            // the server keeps running: backup attaches to its cluster and leaves it up
            assertThat(new CommandLine(new CaregridCommand()).execute("backup", "--home", original.toString(),
                    file.toString())).isZero();
            assertThat(server.isRunning()).isTrue();
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password())) {
                assertThat(c.isValid(10)).isTrue();
            }
        }
        assertThat(file).isRegularFile();
        assertThat(file.resolveSibling("caregrid.backup.partial")).doesNotExist();
        assertThat(before).startsWith("120/3000/");

        assertThat(new CommandLine(new CaregridCommand()).execute("restore", "--home", fresh.toString(),
                file.toString())).isZero();
        try (EmbeddedPostgis restored = EmbeddedPostgis.forHome(fresh).start();
             Connection c = DriverManager.getConnection(restored.jdbcUrl(), restored.username(), restored.password());
             Statement s = c.createStatement()) {
            assertThat(single(s, CONTENT)).isEqualTo(before);
            assertThat(single(s, "SELECT postgis_lib_version()")).startsWith("3.");
            assertThat(restored.dataDirectory()).isNotEqualTo(EmbeddedPostgis.forHome(original).dataDirectory());
        }
        assertThat(Files.exists(fresh.resolve("postgis-password"))).isTrue();
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
