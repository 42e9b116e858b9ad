package org.caregrid.server.demo;

import java.util.List;

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
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
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
            new DemoLogin("volunteer", "VOLUNTEER", "街道 street, own key persons"));

    private final CaregridProperties properties;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final PasswordEncoder encoder;
    private final Environment environment;

    DemoSetup(CaregridProperties properties, JdbcClient jdbc, DataSource dataSource,
              TransactionTemplate transaction, PasswordEncoder encoder, Environment environment) {
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
                log.info("Empty database: loading the demo district");
                new ResourceDatabasePopulator(new ClassPathResource("demo/tiny-demo.sql")).execute(dataSource);
            }
            createDemoUsers();
        });
    }

    /** Scoped to the first street and its first grid, so this also works on an imported area. */
    private void createDemoUsers() {
        String hash = encoder.encode(DemoPasswords.DEMO_PASSWORD);
        jdbc.sql("""
                WITH street AS (SELECT min(code) AS code FROM admin_area WHERE level = 'street'),
                     first_grid AS (SELECT min(g.id) AS id FROM grid g, street s
                                     WHERE g.community_code LIKE substr(s.code, 1, 9) || '%'),
                     grid_volunteer AS (SELECT min(v.person_id) AS id FROM volunteer v
                                          JOIN person p ON p.id = v.person_id, first_grid fg
                                         WHERE p.grid_id = fg.id)
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
