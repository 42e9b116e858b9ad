package org.caregrid.server.support;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Loads hand-built fixtures and creates users with known passwords. */
public final class Fixtures {

    public static final String PASSWORD = "correct-horse-7";

    private Fixtures() {
    }

    public static void load(DataSource dataSource, String resource) {
        new ResourceDatabasePopulator(new ClassPathResource(resource)).execute(dataSource);
    }

    /**
     * 成都市 → 锦江区 → 测试街道 (510104020000) → 甲社区 (510104020001), the community split into grid 1 甲网格 (GA,
     * 104.00–104.01) and grid 2 乙网格 (GB, 104.01–104.02).
     */
    public static void twoGrids(JdbcClient jdbc) {
        jdbc.sql("""
                INSERT INTO admin_area (code, level, name, parent_code, geom) VALUES
                  ('510100000000', 'city', '成都市', NULL, NULL),
                  ('510104000000', 'district', '锦江区', '510100000000', NULL),
                  ('510104020000', 'street', '测试街道', '510104000000', ST_Multi(ST_MakeEnvelope(104.00, 30.00, 104.02, 30.01, 4326))),
                  ('510104020001', 'community', '甲社区', '510104020000', ST_Multi(ST_MakeEnvelope(104.00, 30.00, 104.02, 30.01, 4326)));
                INSERT INTO grid (id, code, name, community_code, geom) OVERRIDING SYSTEM VALUE VALUES
                  (1, 'GA', '甲网格', '510104020001', ST_Multi(ST_MakeEnvelope(104.00, 30.00, 104.01, 30.01, 4326))),
                  (2, 'GB', '乙网格', '510104020001', ST_Multi(ST_MakeEnvelope(104.01, 30.00, 104.02, 30.01, 4326)));
                """).update();
    }

    /** Creates a user; {@code scopeArea} and {@code scopeGrid} may be null. */
    public static void user(JdbcClient jdbc, PasswordEncoder encoder, String username, String role,
                            String scopeArea, Long scopeGrid, Long personId) {
        jdbc.sql("""
                INSERT INTO app_user (username, password_hash, roles, scope_area_code, scope_grid_id, person_id)
                VALUES (:u, :h, ARRAY[:r], :a, :g, :p)
                """)
                .param("u", username).param("h", encoder.encode(PASSWORD)).param("r", role)
                .param("a", scopeArea).param("g", scopeGrid).param("p", personId)
                .update();
    }
}
