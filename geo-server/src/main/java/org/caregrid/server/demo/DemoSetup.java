package org.caregrid.server.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.server.imports.DemoDistrictLoader;
import org.caregrid.server.imports.RecordLoader;
import org.caregrid.server.people.IdNumberHasher;

import org.caregrid.server.config.CaregridProperties;
import org.caregrid.server.security.DemoPasswords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

/**
 * In demo mode: loads the demo district into an empty database, creates one log-in per role
 * (password "demo"), and prints where to go. Never runs in serve mode.
 */
@Component
@Order(1)
class DemoSetup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    record DemoLogin(String username, String role, String scope) {
    }

    static final List<DemoLogin> LOGINS = List.of(
            new DemoLogin("admin", "ADMIN", "全部"),
            new DemoLogin("planner", "PLANNER", "街道 street"),
            new DemoLogin("dispatcher", "DISPATCHER", "街道 street"),
            new DemoLogin("gridworker", "GRID_WORKER", "第一个网格 first grid"),
            new DemoLogin("volunteer", "VOLUNTEER", "街道 street, own key persons, delivery route"));

    /** The demo district: this seed at demo scale; tests regenerate it to know the expected counts. */
    static final long DEMO_SEED = 2026L;
    static final int DEMO_RESIDENTS = DemoDistrictGenerator.DEMO_RESIDENTS;
    static final String ROAD_FILE = "demo-district.osm";

    private final CaregridProperties properties;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final PasswordEncoder encoder;
    private final Environment environment;
    private final IdNumberHasher hasher;
    private DemoDistrict district;

    DemoSetup(CaregridProperties properties, JdbcClient jdbc, DataSource dataSource,
              TransactionTemplate transaction, PasswordEncoder encoder, Environment environment,
              IdNumberHasher hasher) {
        this.hasher = hasher;
        this.properties = properties;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transaction = transaction;
        this.encoder = encoder;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.demo()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            boolean empty = jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM admin_area)").query(Boolean.class).single();
            if (empty) {
                loadDemoDistrict();
            }
            createDemoUsers();
        });
        writeRoadNetwork();
    }

    /** The generated demo district at demo scale, through the same loader as file imports. */
    private void loadDemoDistrict() {
        log.info("Empty database: generating and loading the demo district ({} residents)", DEMO_RESIDENTS);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            RecordLoader.Report report = DemoDistrictLoader.load(connection, district(), hasher);
            log.info("Demo district loaded in {} ms: {}", report.millis(), report.staged());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not load the demo district: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * The routing engineer's contract: the demo's road network at ${caregrid.home}/roads/demo-district.osm. Written
     * only when the database holds the demo district (not an imported area) and the file is missing.
     */
    private void writeRoadNetwork() {
        Path file = properties.home().resolve("roads").resolve(ROAD_FILE);
        boolean demoData = jdbc.sql("SELECT EXISTS (SELECT 1 FROM building WHERE source = :s)")
                .param("s", DemoDistrictLoader.SOURCE).query(Boolean.class).single();
        if (!demoData || Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(ROAD_FILE + ".part");
            district().writeRoadNetworkOsm(partial);
            // the routing service picks the newest file: it must never see a half-written one
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo road network to " + file, e);
        }
    }

    private DemoDistrict district() {
        if (district == null) {
            district = DemoDistrictGenerator.generate(DEMO_SEED, DEMO_RESIDENTS);
        }
        return district;
    }

    /** Scoped to the first street and its first grid, so this also works on an imported area. */
    private void createDemoUsers() {
        String hash = encoder.encode(DemoPasswords.DEMO_PASSWORD);
        jdbc.sql("""
                WITH street AS (SELECT min(code) AS code FROM admin_area WHERE level = 'street'),
                     first_grid AS (SELECT min(g.id) AS id FROM grid g, street s
                                     WHERE g.community_code LIKE substr(s.code, 1, 9) || '%'),
                     -- the volunteer log-in is a delivery-squad member a dispatcher can plan for (not in the
                     -- reserve) who also has key persons to look after: the volunteer in the street
                     -- responsible for the most, those of the first grid first
                     grid_volunteer AS (SELECT v.person_id AS id FROM volunteer v
                                          JOIN person p ON p.id = v.person_id, first_grid fg, street s,
                                          LATERAL (SELECT count(*) AS n FROM role_assignment r
                                                    WHERE r.person_id = v.person_id AND r.role = 'responsible'
                                                      AND r.valid_to IS NULL) duty
                                         WHERE p.area_code LIKE substr(s.code, 1, 9) || '%'
                                         ORDER BY NOT ('medicine_delivery' = ANY (v.teams) AND NOT v.is_reserve),
                                                  duty.n = 0, p.grid_id IS DISTINCT FROM fg.id, duty.n DESC,
                                                  v.person_id
                                         LIMIT 1)
                INSERT INTO app_user (username, display_name, password_hash, roles, scope_area_code, scope_grid_id, person_id)
                SELECT u.username, u.display_name, :hash, ARRAY[u.role],
                       CASE WHEN u.role IN ('PLANNER', 'DISPATCHER', 'VOLUNTEER') THEN (SELECT code FROM street) END,
                       CASE WHEN u.role = 'GRID_WORKER' THEN (SELECT id FROM first_grid) END,
                       CASE WHEN u.role = 'VOLUNTEER' THEN (SELECT id FROM grid_volunteer) END
                  FROM (VALUES ('admin', '管理员', 'ADMIN'), ('planner', '规划员', 'PLANNER'),
                               ('dispatcher', '调度员', 'DISPATCHER'), ('gridworker', '网格员', 'GRID_WORKER'),
                               ('volunteer', '志愿者', 'VOLUNTEER')) AS u(username, display_name, role)
                ON CONFLICT (username) DO NOTHING
                """).param("hash", hash).update();
    }

    @EventListener(ApplicationReadyEvent.class)
    void printWelcome() {
        if (!properties.demo()) {
            return;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        StringBuilder text = new StringBuilder()
                .append("\n\n  caregrid demo is ready: http://localhost:").append(port).append("/\n")
                .append("  Log in as (password \"demo\"):\n");
        LOGINS.forEach(l -> text.append(String.format("    %-11s %-12s %s%n", l.username(), l.role(), l.scope())));
        text.append("  Data folder: ").append(properties.home()).append("\n  Stop with Ctrl-C.\n");
        System.out.println(text);
    }
}
