package org.caregrid.server.cli;

import org.caregrid.server.db.DatabaseRoles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.caregrid.server.db.EmbeddedPostgis;
import org.flywaydb.core.Flyway;

/** Scratch databases for the benchmarks, in a cluster of their own, so the server's data is never touched. */
final class ScratchDatabases {

    private ScratchDatabases() {
    }

    /** A new database with the caregrid schema (Flyway, as the server makes it). */
    static String fresh(EmbeddedPostgis postgis, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgis.jdbcUrl("postgres"), postgis.username(), postgis.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        postgis.ensureDatabaseWithPostgis(name);
        Flyway.configure().dataSource(postgis.jdbcUrl(name), postgis.username(), postgis.password())
                .locations("classpath:db/migration")
                .placeholders(DatabaseRoles.migrationPlaceholders(DatabaseRoles.DEFAULT_APP_ROLE)).load().migrate();
        return name;
    }

    /** Whether {@code db} exists and holds persons (a district loaded by an earlier run). */
    static boolean hasPersons(EmbeddedPostgis postgis, String db) {
        try (Connection c = DriverManager.getConnection(postgis.jdbcUrl(db), postgis.username(), postgis.password());
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM person)")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    static Connection open(EmbeddedPostgis postgis, String db) throws SQLException {
        Connection c = DriverManager.getConnection(postgis.jdbcUrl(db), postgis.username(), postgis.password());
        c.setAutoCommit(false);
        return c;
    }
}
