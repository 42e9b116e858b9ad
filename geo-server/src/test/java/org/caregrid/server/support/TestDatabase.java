package org.caregrid.server.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import org.caregrid.server.db.EmbeddedPostgis;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostGIS for the tests: the server named by {@code CAREGRID_TEST_DB_URL} (+ {@code _USER},
 * {@code _PASSWORD}; its user must be allowed to create databases), else the embedded cluster (one
 * per test JVM, under target/), else a postgis/postgis container when a Docker engine answers.
 * Each test class gets a database of its own.
 */
public final class TestDatabase {

    public record DbCoordinates(String url, String user, String password) {
        public Connection open() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgis embedded;
    private static PostgreSQLContainer container;

    private TestDatabase() {
    }

    /** A new, empty database with PostGIS, named after the test. */
    public static synchronized DbCoordinates fresh(String testName) {
        String base = testName.toLowerCase().replaceAll("[^a-z0-9]+", "_");
        String name = "t_" + base.substring(0, Math.min(40, base.length())) + "_" + COUNTER.incrementAndGet();
        String external = System.getenv("CAREGRID_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            return createOnExternal(external, System.getenv("CAREGRID_TEST_DB_USER"),
                    System.getenv("CAREGRID_TEST_DB_PASSWORD"), name);
        }
        if (embedded == null && EmbeddedPostgis.findBinDir().isEmpty()) {
            return inContainer(name);
        }
        if (embedded == null) {
            embedded = EmbeddedPostgis.forHome(Path.of("target", "test-postgis-home")).start().stopOnJvmExit();
        }
        try (Connection c = DriverManager.getConnection(embedded.jdbcUrl("postgres"), embedded.username(), embedded.password());
             Statement s = c.createStatement()) {
            // a database of the same name may survive from an earlier run of the same cluster
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop old test database " + name + ": " + e.getMessage(), e);
        }
        embedded.ensureDatabaseWithPostgis(name);
        return new DbCoordinates(embedded.jdbcUrl(name), embedded.username(), embedded.password());
    }

    /** No PostgreSQL installed: a postgis/postgis container, where a Docker engine answers. */
    private static DbCoordinates inContainer(String name) {
        if (container == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("Tests need PostGIS: install PostgreSQL and PostGIS "
                        + "('./caregrid test' does), set CAREGRID_TEST_DB_URL, or run a Docker engine");
            }
            container = new PostgreSQLContainer(DockerImageName.parse("postgis/postgis:15-3.3")
                    .asCompatibleSubstituteFor("postgres"));
            container.start();
        }
        return createOnExternal(container.getJdbcUrl(), container.getUsername(), container.getPassword(), name);
    }

    private static DbCoordinates createOnExternal(String url, String user, String password, String name) {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " on " + url + ": " + e.getMessage(), e);
        }
        String dbUrl = url.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        try (Connection c = DriverManager.getConnection(dbUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create PostGIS in " + dbUrl + ": " + e.getMessage(), e);
        }
        return new DbCoordinates(dbUrl, user, password);
    }

    /** Points the Spring context under test at a fresh database. */
    public static void register(DynamicPropertyRegistry registry, String testName) {
        DbCoordinates db = fresh(testName);
        registry.add("caregrid.db.url", db::url);
        registry.add("caregrid.db.user", db::user);
        registry.add("caregrid.db.password", db::password);
        registry.add("caregrid.home", () -> Path.of("target", "test-home-" + testName).toAbsolutePath().toString());
    }
}
