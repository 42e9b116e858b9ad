package org.caregrid.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/** The embedded cluster starts, keeps its data across a restart, and is stopped on close. */
class EmbeddedPostgisTest {

    @Test
    void keepsItsDataAcrossARestartAndStopsOnClose() throws Exception {
        Path home = Path.of("target", "embedded-postgis-test-" + System.nanoTime());
        EmbeddedPostgis first = EmbeddedPostgis.forHome(home).start();
        int firstPort = first.port();
        try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.username(), first.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (name text)");
            s.execute("INSERT INTO kept VALUES ('网格')");
            try (ResultSet rs = s.executeQuery("SELECT postgis_lib_version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("3.");
            }
        }
        first.close();

        assertThat(first.isRunning()).isFalse();
        assertThat(Files.exists(first.dataDirectory().resolve("postmaster.pid"))).as("server process gone").isFalse();
        assertThatThrownBy(() -> DriverManager.getConnection(first.jdbcUrl(), first.username(), first.password()).close())
                .isInstanceOf(SQLException.class);

        EmbeddedPostgis second = EmbeddedPostgis.forHome(home).start();
        try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.username(), second.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("网格");
        } finally {
            second.close();
        }
        assertThat(second.dataDirectory()).isEqualTo(first.dataDirectory());
        assertThat(firstPort).isPositive();
    }

    @Test
    void refusesAWrongPasswordFromOutside() throws Exception {
        Path home = Path.of("target", "embedded-postgis-auth-" + System.nanoTime());
        try (EmbeddedPostgis postgis = EmbeddedPostgis.forHome(home).start()) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgis.jdbcUrl(), postgis.username(), "guess").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
    }
}
